using HmmCi.Build.Engine;
using HmmCi.Reports;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Merge => _ => _
        .Description("Test-merge the topic into each downstream tree, and all trees together as in the merge window")
        .DependsOn(Fetch)
        .After(Check)
        .NotImplemented("test merges are not built yet")
        .Executes(() =>
        {
            foreach (var tree in ReadinessReport.Trees.Where(t => t.Error is null))
                tree.Merge = new MergeReport { Status = MergeStatus.NotImplemented, Reason = "test merges are not built yet" };
        });
}
