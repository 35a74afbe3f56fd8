using HmmCi.Build.Engine;
using HmmCi.Merging;
using HmmCi.Reports;

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
        .Executes(async () =>
        {
            if (RecordResolution is { } record && ReadinessReport.Trees.All(t => t.Name != record))
                throw new UsageException($"--record-resolution: no tree named {record} in this run (trees: {string.Join(", ", ReadinessReport.Trees.Select(t => t.Name))})");
            var report = ReadinessReport;
            using var objects = new StoreObjects(Store.Git.GitDirectory);
            if (report.Topic.Head is not { } topicHead)
            {
                // An earlier run's merges must not be built as if they were this run's.
                const string reason = "the topic head is not known (Fetch failed or did not run)";
                foreach (var t in report.Trees)
                {
                    t.Merge = new MergeReport { Status = MergeStatus.Skipped, Reason = reason };
                    objects.DeleteReference(TestMerge.MergedRef(t.Name));
                }
                report.MergeWindow = new MergeWindowReport { Status = MergeStatus.Skipped, Reason = reason };
                objects.DeleteReference(MergeWindowSimulation.Ref);
                return;
            }

            var mergeTree = new MergeTree(Store.Git);
            var describer = new ConflictDescriber(objects, new PathHistory(Store.Git, objects));
            var resolutions = new RecordedResolutions(Path.Combine(Settings.Directory, "resolutions"), Store.Git);
            var testMerge = new TestMerge(mergeTree, objects, describer, resolutions);
            var topic = new MergeSide(report.Topic.Name, topicHead);
            var fetched = report.Trees.Where(t => t.Head is not null).ToList();
            foreach (var t in report.Trees.Where(t => t.Head is null))
            {
                t.Merge = new MergeReport { Status = MergeStatus.Skipped, Reason = "the tree head is not known (Fetch failed or did not run)" };
                objects.DeleteReference(TestMerge.MergedRef(t.Name));
            }

            // Trees are independent of each other and of the simulation, and git does the work: run them side by side.
            var merges = fetched.ToDictionary(t => t, t => MergeOne(testMerge, topic, t));
            Task<MergeWindowReport> Window() => report.Mainline.Head is { } mainlineHead
                ? new MergeWindowSimulation(mergeTree, objects, describer, resolutions).RunAsync(
                    new MergeSide("mainline", mainlineHead), topic, fetched.Select(t => new MergeSide(t.Name, t.Head!)).ToList())
                : Task.FromResult(new MergeWindowReport { Status = MergeStatus.Skipped, Reason = "the mainline head is not known (Fetch failed or did not run)" });
            var window = Window();
            await Task.WhenAll(merges.Values.Cast<Task>().Append(window));

            foreach (var (tree, merge) in merges)
            {
                var result = await merge;
                if (tree.Name == RecordResolution)
                {
                    var (recorded, message) = await new ResolutionRecorder(Store.Git, Workspace, resolutions)
                        .RecordAsync(topic, new MergeSide(tree.Name, tree.Head!), result.Conflicts);
                    Host.Info(message);
                    if (recorded)
                    {
                        result = await MergeOne(testMerge, topic, tree);
                        // The simulation ran before the resolution existed: run it again so it applies there too.
                        window = Window();
                    }
                }
                tree.Merge = result.Report;
                Host.Info($"{tree.Name}: {Describe(result.Report)}");
            }
            report.MergeWindow = await WindowOrError(window);
            if (report.MergeWindow.Commit is null)
                objects.DeleteReference(MergeWindowSimulation.Ref);
            Host.Info($"merge window: {WireNames.Of(report.MergeWindow.Status)}{(report.MergeWindow.Reason is { } r ? $" ({r})" : "")}");
        });

    /// <summary>One tree's failure is that tree's error entry; the other trees go on.</summary>
    static async Task<TestMergeResult> MergeOne(TestMerge testMerge, MergeSide topic, TreeReport tree)
    {
        try
        {
            return await testMerge.RunAsync(topic, new MergeSide(tree.Name, tree.Head!), tree.Branch);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new TestMergeResult(new MergeReport { Status = MergeStatus.Error, Reason = $"the test merge failed: {e.Message}" }, []);
        }
    }

    static async Task<MergeWindowReport> WindowOrError(Task<MergeWindowReport> window)
    {
        try
        {
            return await window;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new MergeWindowReport { Status = MergeStatus.Error, Reason = $"the merge-window simulation failed: {e.Message}" };
        }
    }

    static string Describe(MergeReport merge) => merge.Status switch
    {
        MergeStatus.Clean or MergeStatus.Resolved => $"{WireNames.Of(merge.Status)}, {merge.Commit?[..12]}{(merge.Reason is { } r ? $" ({r})" : "")}",
        MergeStatus.Conflict => $"conflict in {string.Join(", ", merge.Conflicts.Select(c => c.Path))}{(merge.Reason is { } r ? $" ({r})" : "")}",
        _ => $"{WireNames.Of(merge.Status)}: {merge.Reason}",
    };
}
