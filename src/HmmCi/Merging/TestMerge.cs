using HmmCi.Reports;

namespace HmmCi.Merging;

/// <summary>A test merge's report, and its conflicts in full for recording a resolution.</summary>
public sealed record TestMergeResult(MergeReport Report, IReadOnlyList<DescribedConflict> Conflicts);

/// <summary>
/// Merges the topic head into one downstream tree head in memory, as <c>git merge-tree --write-tree tree topic</c>,
/// applies the tree's recorded resolution when it conflicts (<see cref="MergeRecipe"/>), and leaves a merge commit
/// for the Build stage under <c>refs/hmmci/merged/&lt;tree&gt;</c> (removed when there is nothing to build).
/// </summary>
public sealed class TestMerge(MergeTree mergeTree, StoreObjects objects, ConflictDescriber describer, RecordedResolutions resolutions)
{
    private readonly MergeRecipe _merges = new(mergeTree, objects, describer, resolutions);

    public static string MergedRef(string tree) => $"refs/hmmci/merged/{tree}";

    public static string CommitMessage(string topic, string tree, string branch) => $"Merge {topic} into {tree} {branch} (test merge)";

    public async Task<TestMergeResult> RunAsync(MergeSide topic, MergeSide tree, string branch, CancellationToken cancellation = default)
    {
        try
        {
            return await MergeAsync(topic, tree, branch, cancellation);
        }
        catch
        {
            // A merge that failed part-way has no result this run: an earlier run's must not be built in its place.
            try { objects.DeleteReference(MergedRef(tree.Name)); } catch (Exception) { /* the original failure is the one to report */ }
            throw;
        }
    }

    private async Task<TestMergeResult> MergeAsync(MergeSide topic, MergeSide tree, string branch, CancellationToken cancellation)
    {
        var merged = await _merges.MergeAsync(new MergeRequest(tree, topic, CommitMessage(topic.Name, tree.Name, branch)) { History = true }, cancellation);
        if (merged.Output is null)
            return NothingToBuild(tree, new MergeReport { Status = MergeStatus.Error, Reason = merged.Error });
        if (merged.Conflicts.Count == 0) return new TestMergeResult(Clean(topic, tree, merged.Tree!, merged.Commit!), []);

        var conflicts = merged.Conflicts;
        if (merged.Resolution is not { } outcome) return NothingToBuild(tree, Report(MergeStatus.Conflict, conflicts, null, null, null), conflicts);
        var folder = resolutions.Display(tree.Name);
        if (merged.Commit is not { } commit)
            return NothingToBuild(tree, Report(MergeStatus.Conflict, conflicts, outcome, folder, null), conflicts);

        objects.SetReference(MergedRef(tree.Name), commit);
        return new TestMergeResult(
            Report(MergeStatus.Resolved, conflicts, outcome, folder, $"resolved with the recorded resolution in {folder}", merged.Tree, commit), conflicts);
    }

    private MergeReport Clean(MergeSide topic, MergeSide tree, string mergedTree, string commit)
    {
        // Only when the result equals one side can the merge be trivial; only then is the ancestry walk worth it.
        var treeTree = objects.TreeOf(tree.Head);
        if (mergedTree == treeTree && objects.MergeBase(tree.Head, topic.Head) == topic.Head)
        {
            objects.SetReference(MergedRef(tree.Name), tree.Head);
            return new MergeReport
            {
                Status = MergeStatus.Clean, Tree = mergedTree, Commit = tree.Head,
                Reason = $"already merged: {tree.Name} already contains the {topic.Name} head {topic.Head[..12]}",
            };
        }
        var fastForward = mergedTree == objects.TreeOf(topic.Head) && objects.MergeBase(tree.Head, topic.Head) == tree.Head;
        objects.SetReference(MergedRef(tree.Name), commit);
        return new MergeReport
        {
            Status = MergeStatus.Clean, Tree = mergedTree, Commit = commit,
            Reason = fastForward ? $"{tree.Name} is an ancestor of the {topic.Name} head (the merge would fast-forward; a merge commit is written anyway)" : null,
        };
    }

    private TestMergeResult NothingToBuild(MergeSide tree, MergeReport report, IReadOnlyList<DescribedConflict>? conflicts = null)
    {
        // A merged ref from an earlier run must not be built as if it were this run's result.
        objects.DeleteReference(MergedRef(tree.Name));
        return new TestMergeResult(report, conflicts ?? []);
    }

    private static MergeReport Report(MergeStatus status, IReadOnlyList<DescribedConflict> conflicts, ResolutionOutcome? outcome,
        string? folder, string? reason, string? tree = null, string? commit = null)
    {
        var stale = outcome?.Paths.Count(p => p.Value.Status == ResolutionStatus.NoLongerApplies) ?? 0;
        var uncovered = outcome?.Paths.Count(p => p.Value.Status == ResolutionStatus.None) ?? 0;
        reason ??= outcome is null ? null
            : stale > 0 ? $"the recorded resolution in {folder} no longer applies to {stale} of {conflicts.Count} conflicted paths: the conflict changed"
            : $"the recorded resolution in {folder} does not cover {uncovered} of {conflicts.Count} conflicted paths";
        return new MergeReport
        {
            Status = status, Reason = reason, Resolution = folder, Tree = tree, Commit = commit,
            Conflicts = conflicts.Select(c => ToReport(c, outcome)).ToList(),
        };
    }

    private static ConflictReport ToReport(DescribedConflict c, ResolutionOutcome? outcome)
    {
        var (resolution, note) = outcome?.Paths.GetValueOrDefault(c.Conflict.Path) ?? (ResolutionStatus.None, null);
        return new ConflictReport
        {
            Path = c.Conflict.Path, Kind = c.Conflict.Kind, Message = c.Conflict.Message,
            Excerpt = c.Excerpt.Text, ExcerptTruncated = c.Excerpt.Truncated,
            // The merge is "tree" (ours) and "topic" (theirs).
            TreeCommits = c.OursCommits.ToList(), TopicCommits = c.TheirsCommits.ToList(),
            Resolution = resolution, ResolutionNote = note,
        };
    }
}
