using HmmCi.Build.Engine;
using HmmCi.Merging;

namespace HmmCi.Build;

public partial class Pipeline
{
    [Parameter("Record how this tree's merge conflict is resolved: the first run makes a work tree to resolve it in, the next records it in resolutions/<tree>")]
    public string? RecordResolution;

    Target Merge => _ => _
        .Description("Test-merge the topic into each downstream tree, and all trees together as in the merge window")
        .DependsOn(Fetch)
        .After(Check)
        .OnlyWhen(() => FetchRan, "Fetch did not run")
        .Executes(async cancellation =>
        {
            if (RecordResolution is { } record && ReadinessReport.Trees.All(t => t.Name != record))
                throw new UsageException($"--record-resolution: no tree named {record} in this run (trees: {string.Join(", ", ReadinessReport.Trees.Select(t => t.Name))})");
            using var objects = new StoreObjects(Store.Git.GitDirectory);
            var resolutions = RecordedResolutions.Of(Settings, Store.Git);
            await new MergeStage(Store.Git, objects, resolutions, Workspace, Host).RunAsync(ReadinessReport, RecordResolution, cancellation);
        });
}
