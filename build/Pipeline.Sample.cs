using HmmCi.Build.Engine;
using HmmCi.Trees;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Sample => _ => _
        .Description("Generate the config's sample trees (the bundled kernel scenario) once")
        .DependsOn(Prerequisites)
        .OnlyWhen(() => Settings.Sample is not null, "the config names no sample")
        .Executes(cancellation => SampleTrees.GenerateAsync(Settings.Sample!, Host.Info, cancellation));
}
