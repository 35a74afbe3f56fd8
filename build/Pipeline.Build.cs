using HmmCi.Build.Engine;
using HmmCi.Reports;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Build => _ => _
        .Description("Build the merged kernels in containers and compare warnings with the baseline")
        .DependsOn(Merge)
        .NotImplemented("kernel builds are not built yet")
        .Executes(() =>
        {
            foreach (var tree in ReadinessReport.Trees.Where(t => t.Error is null))
                tree.Build = new BuildReport { Status = StageStatus.NotImplemented, Reason = "kernel builds are not built yet" };
        });
}
