using HmmCi.Build.Engine;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Fetch => _ => _
        .Description("Fetch the topic, mainline and downstream trees into one object store and pin their heads")
        .DependsOn(Prerequisites, Sample)
        .Executes(async cancellation =>
        {
            _store = await TreeStore.OpenAsync(Workspace);
            var trees = ReadinessReport.Trees.Select(tree => Settings.Trees.Single(t => t.Name == tree.Name)).ToList();
            var fetched = await new FetchStage(Store, Host).RunAsync(Settings.Topic, Settings.Mainline, trees, cancellation);
            ReadinessReport.Apply(fetched);
        });
}
