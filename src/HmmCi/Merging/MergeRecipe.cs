using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>
/// One merge commit to write. <see cref="Ours"/> is the downstream tree: git's "ours", first in conflict markers,
/// and the side whose recorded resolution applies. <see cref="Theirs"/> is the topic (its head, or the topic up to
/// a bisect step), or the merge window so far, labelled with the topic's name: so the conflicts look the same
/// wherever the tree meets the topic, and the tree's resolution matches in all of those merges.
/// </summary>
public sealed record MergeRequest(MergeSide Ours, MergeSide Theirs, string Message)
{
    /// <summary>The tree is pulled into theirs, the commit's first parent, as Linus pulls a tree in the merge window.</summary>
    public bool IntoTheirs { get; init; }

    /// <summary>Whether the recorded resolution of <see cref="Ours"/> applies (not to the topic's own pull in the merge window).</summary>
    public bool Resolve { get; init; } = true;

    /// <summary>Whether each conflict gets both sides' commits that touched it (a git log), for the report.</summary>
    public bool History { get; init; }
}

/// <summary>
/// What a merge gave: git's output (null with <see cref="Error"/> when git could not merge at all), its conflicts
/// described, how the recorded resolution met them, and the merged tree and commit, set when the merge is clean or
/// every conflict was resolved.
/// </summary>
public sealed record MergeCommitResult(MergeTreeOutput? Output, string? Error, IReadOnlyList<DescribedConflict> Conflicts,
    ResolutionOutcome? Resolution, string? Tree, string? Commit);

/// <summary>
/// The one recipe for every merge commit HmmCi writes: the test merges, the merge window, the Selftests stage's
/// bisect steps and the focused compile's culprit search. <c>git merge-tree --write-tree</c> of the two sides
/// (with tree names, <see cref="MergeLabels"/>); when they conflict, the recorded resolution of the tree applied to
/// the conflicted paths; then a commit by HmmCi's fixed identity dated like the newer parent
/// (<see cref="StoreObjects.WriteCommit"/>). The same inputs always give the same commit, so a later rebuild of it
/// is a result-cache hit.
/// </summary>
public sealed class MergeRecipe(MergeTree mergeTree, StoreObjects objects, ConflictDescriber describer, RecordedResolutions resolutions)
{
    /// <summary>The recipe over the store's git and objects, the conflicts' commits read from the same store.</summary>
    public MergeRecipe(GitCli git, StoreObjects objects, RecordedResolutions resolutions)
        : this(new MergeTree(git), objects, new ConflictDescriber(objects, new PathHistory(git, objects)), resolutions)
    {
    }

    public async Task<MergeCommitResult> MergeAsync(MergeRequest request, CancellationToken cancellation = default)
    {
        var (ours, theirs) = (request.Ours, request.Theirs);
        var attempt = await mergeTree.RunAsync(ours, theirs, objects, cancellation);
        if (attempt.Output is not { } output) return new MergeCommitResult(null, attempt.Error, [], null, null, null);
        if (output.Clean) return new MergeCommitResult(output, null, [], null, output.Tree, Commit(request, output.Tree));

        var conflicts = request.History
            ? await describer.DescribeAsync(output, ours, theirs, cancellation)
            : describer.DescribeWithoutHistory(output, ours, theirs);
        if (!request.Resolve || !resolutions.Has(ours.Name)) return new MergeCommitResult(output, null, conflicts, null, null, null);
        var outcome = await resolutions.ApplyAsync(ours.Name, conflicts, cancellation);
        if (!outcome.AllApplied) return new MergeCommitResult(output, null, conflicts, outcome, null, null);
        var resolved = objects.WriteTree(output.Tree, outcome.Files);
        return new MergeCommitResult(output, null, conflicts, outcome, resolved, Commit(request, resolved));
    }

    string Commit(MergeRequest request, string tree) =>
        objects.WriteCommit(tree, request.IntoTheirs ? [request.Theirs.Head, request.Ours.Head] : [request.Ours.Head, request.Theirs.Head], request.Message);
}
