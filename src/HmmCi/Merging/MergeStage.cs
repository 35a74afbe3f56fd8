using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>
/// The Merge stage: test-merges the topic into each fetched downstream tree and simulates the merge window, from the
/// heads in this run's report, and writes <c>trees[].merge</c> and <c>mergeWindow</c> into it. Refs always describe
/// this run: a tree without a merge to build this run loses its <c>refs/hmmci/merged/&lt;tree&gt;</c>, and a
/// simulation without a result loses <c>refs/hmmci/merge-window</c>.
/// </summary>
public sealed class MergeStage
{
    private readonly GitCli _git;
    private readonly StoreObjects _objects;
    private readonly RecordedResolutions _resolutions;
    private readonly string _workspace;
    private readonly IStageLog _log;
    private readonly MergeTree _mergeTree;
    private readonly ConflictDescriber _describer;
    private readonly TestMerge _testMerge;
    private readonly MergeWindowSimulation _window;

    /// <param name="git">The object store's git.</param>
    /// <param name="objects">The same store, in-process; the caller owns it.</param>
    /// <param name="resolutions">The recorded resolutions next to the config.</param>
    /// <param name="workspace">Where <c>--record-resolution</c> makes its work trees (<c>resolve/&lt;tree&gt;</c>).</param>
    /// <param name="log">Hears one line per tree and one for the merge window.</param>
    public MergeStage(GitCli git, StoreObjects objects, RecordedResolutions resolutions, string workspace, IStageLog log)
    {
        (_git, _objects, _resolutions, _workspace, _log) = (git, objects, resolutions, workspace, log);
        _mergeTree = new MergeTree(git);
        _describer = new ConflictDescriber(objects, new PathHistory(git, objects));
        _testMerge = new TestMerge(_mergeTree, objects, _describer, resolutions);
        _window = new MergeWindowSimulation(_mergeTree, objects, _describer, resolutions);
    }

    /// <param name="report">This run's report: the heads Fetch pinned are read from it, the merges written into it.</param>
    /// <param name="recordResolution">The tree whose conflict resolution is being recorded (<c>--record-resolution</c>), if any.</param>
    public async Task RunAsync(MergeReadinessReport report, string? recordResolution = null, CancellationToken cancellation = default)
    {
        if (report.Topic.Head is not { } topicHead)
        {
            // An earlier run's merges must not be built as if they were this run's.
            const string reason = "the topic head is not known (Fetch failed or did not run)";
            foreach (var t in report.Trees)
            {
                t.Merge = new MergeReport { Status = MergeStatus.Skipped, Reason = reason };
                _objects.DeleteReference(TestMerge.MergedRef(t.Name));
            }
            report.MergeWindow = new MergeWindowReport { Status = MergeStatus.Skipped, Reason = reason };
            _objects.DeleteReference(MergeWindowSimulation.Ref);
            return;
        }

        var topic = new MergeSide(report.Topic.Name, topicHead);
        var fetched = report.Trees.Where(t => t.Head is not null).ToList();
        foreach (var t in report.Trees.Where(t => t.Head is null))
        {
            t.Merge = new MergeReport { Status = MergeStatus.Skipped, Reason = "the tree head is not known (Fetch failed or did not run)" };
            _objects.DeleteReference(TestMerge.MergedRef(t.Name));
        }

        // Trees are independent of each other and of the simulation, and git does the work: run them side by side.
        var merges = fetched.ToDictionary(t => t, t => MergeOne(topic, t, cancellation));
        Task<MergeWindowReport> Window() => report.Mainline.Head is { } mainlineHead
            ? _window.RunAsync(new MergeSide("mainline", mainlineHead), topic, fetched.Select(t => new MergeSide(t.Name, t.Head!)).ToList(), cancellation)
            : Task.FromResult(new MergeWindowReport { Status = MergeStatus.Skipped, Reason = "the mainline head is not known (Fetch failed or did not run)" });
        var window = Window();
        await Task.WhenAll(merges.Values.Cast<Task>().Append(window));

        foreach (var (tree, merge) in merges)
        {
            var result = await merge;
            if (tree.Name == recordResolution)
            {
                var (recorded, message) = await new ResolutionRecorder(_git, _workspace, _resolutions)
                    .RecordAsync(topic, new MergeSide(tree.Name, tree.Head!), result.Conflicts);
                _log.Info(message);
                if (recorded)
                {
                    result = await MergeOne(topic, tree, cancellation);
                    // The simulation ran before the resolution existed: run it again so it applies there too.
                    window = Window();
                }
            }
            tree.Merge = result.Report;
            _log.Info($"{tree.Name}: {Describe(result.Report)}");
        }
        report.MergeWindow = await WindowOrError(window);
        if (report.MergeWindow.Commit is null)
            _objects.DeleteReference(MergeWindowSimulation.Ref);
        _log.Info($"merge window: {WireNames.Of(report.MergeWindow.Status)}{(report.MergeWindow.Reason is { } r ? $" ({r})" : "")}");
    }

    /// <summary>One tree's failure is that tree's error entry; the other trees go on.</summary>
    private async Task<TestMergeResult> MergeOne(MergeSide topic, TreeReport tree, CancellationToken cancellation)
    {
        try
        {
            return await _testMerge.RunAsync(topic, new MergeSide(tree.Name, tree.Head!), tree.Branch, cancellation);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            return new TestMergeResult(new MergeReport { Status = MergeStatus.Error, Reason = $"the test merge failed: {e.Message}" }, []);
        }
    }

    private static async Task<MergeWindowReport> WindowOrError(Task<MergeWindowReport> window)
    {
        try
        {
            return await window;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            return new MergeWindowReport { Status = MergeStatus.Error, Reason = $"the merge-window simulation failed: {e.Message}" };
        }
    }

    private static string Describe(MergeReport merge) => merge.Status switch
    {
        MergeStatus.Clean or MergeStatus.Resolved => $"{WireNames.Of(merge.Status)}, {merge.Commit?[..12]}{(merge.Reason is { } r ? $" ({r})" : "")}",
        MergeStatus.Conflict => $"conflict in {string.Join(", ", merge.Conflicts.Select(c => c.Path))}{(merge.Reason is { } r ? $" ({r})" : "")}",
        _ => $"{WireNames.Of(merge.Status)}: {merge.Reason}",
    };
}
