using HmmCi.Reports;

namespace HmmCi.Merging;

/// <summary>
/// The merge window as Linus runs it: mainline, then the topic (pulled early), then each downstream tree in config
/// order, each merged onto everything before it. A conflict is attributed to the pair of trees that causes it by
/// merging the conflicting tree with each tree already in; a tree that conflicts is left out of the rest (unless
/// its recorded resolution applies), so later trees are judged against what would really be there.
/// </summary>
public sealed class MergeWindowSimulation(MergeTree mergeTree, StoreObjects objects, ConflictDescriber describer, RecordedResolutions resolutions)
{
    private readonly MergeRecipe _merges = new(mergeTree, objects, describer, resolutions);

    public const string Ref = "refs/hmmci/merge-window";
    public const string SoFar = "the merge window so far";

    public async Task<MergeWindowReport> RunAsync(MergeSide mainline, MergeSide topic, IReadOnlyList<MergeSide> trees, CancellationToken cancellation = default)
    {
        var steps = new List<MergeWindowStep> { new(mainline.Name, mainline.Head, MergeStatus.Clean, "the merge window opens on mainline") };
        var conflicts = new List<MergeWindowConflict>();
        var merged = new List<MergeSide> { mainline };
        var state = mainline.Head;
        foreach (var pull in trees.Prepend(topic))
        {
            // The pulled tree is "ours", as in a test merge, so a tree's recorded resolution matches here too.
            // The window so far is labelled with the topic's name, as in the test merges, so markers and the paths git
            // invents (dirfile~hmm) match theirs and the pair merges'.
            var soFar = new MergeSide(topic.Name, state);
            // Each side's commits are read only for the conflicts no pair of trees explains (a git log: the window is merges).
            var pulled = await _merges.MergeAsync(new MergeRequest(pull, soFar, $"Merge {pull.Name} (merge-window simulation)")
            {
                IntoTheirs = true, Resolve = pull != topic,
            }, cancellation);
            if (pulled.Output is null)
            {
                steps.Add(new(pull.Name, pull.Head, MergeStatus.Error, $"{pulled.Error}; left out of the rest of the merge window"));
                continue;
            }
            if (pulled.Commit is not { } commit)
            {
                var found = await AttributeAsync(pull, soFar, merged, pulled.Conflicts, cancellation);
                conflicts.AddRange(found);
                var with = found.Select(c => c.Trees[0]).Distinct();
                steps.Add(new(pull.Name, pull.Head, MergeStatus.Conflict, $"conflicts with {string.Join(", ", with)}; left out of the rest of the merge window"));
                continue;
            }
            state = commit;
            merged.Add(pull);
            steps.Add(pulled.Conflicts.Count == 0
                ? new(pull.Name, pull.Head, MergeStatus.Clean, null)
                : new(pull.Name, pull.Head, MergeStatus.Resolved, $"resolved with the recorded resolution in {resolutions.Display(pull.Name)}"));
        }

        objects.SetReference(Ref, state);
        var overall = steps.Any(s => s.Status == MergeStatus.Conflict) ? MergeStatus.Conflict
            : steps.Any(s => s.Status == MergeStatus.Error) ? MergeStatus.Error
            : steps.Any(s => s.Status == MergeStatus.Resolved) ? MergeStatus.Resolved
            : MergeStatus.Clean;
        var left = steps.Where(s => s.Status is MergeStatus.Conflict or MergeStatus.Error).Select(s => s.Tree).ToList();
        return new MergeWindowReport
        {
            Status = overall, Steps = steps, Conflicts = conflicts, Tree = objects.TreeOf(state), Commit = state,
            Reason = left.Count == 0 ? null : $"left out of the merge window: {string.Join(", ", left)}",
        };
    }

    /// <summary>Each conflict goes to every tree already in whose own merge with the pulled tree conflicts on the path.</summary>
    private async Task<List<MergeWindowConflict>> AttributeAsync(MergeSide pull, MergeSide soFar, IReadOnlyList<MergeSide> merged,
        IReadOnlyList<DescribedConflict> combined, CancellationToken cancellation)
    {
        var unexplained = combined.Select(c => c.Conflict.Path).ToHashSet(StringComparer.Ordinal);
        var related = combined.SelectMany(c => c.Conflict.RelatedPaths).Distinct(StringComparer.Ordinal).ToList();
        var found = new List<MergeWindowConflict>();
        // A tree that changed none of the conflicted paths since its merge base with the pulled tree cannot conflict
        // with it there: merging it again would cost a merge-tree per tree already in, for every conflicting pull.
        foreach (var earlier in merged.Where(e => objects.ChangedSinceMergeBase(e.Head, pull.Head, related)))
        {
            var pair = await mergeTree.RunAsync(earlier, pull, objects, cancellation);
            if (pair.Output is not { Clean: false } output) continue;
            var described = await describer.DescribeAsync(output, earlier, pull, cancellation);
            foreach (var conflict in described.Where(c => combined.Any(d => d.Conflict.Path == c.Conflict.Path)))
            {
                found.Add(ToReport(conflict, earlier.Name, pull.Name));
                unexplained.Remove(conflict.Conflict.Path);
            }
        }
        // No single pair reproduces these: they need several earlier trees together.
        if (unexplained.Count == 0) return found;
        var rest = await describer.WithHistoryAsync(combined, pull, soFar, c => unexplained.Contains(c.Conflict.Path), cancellation);
        found.AddRange(rest.Select(c => ToReport(c with
        {
            Excerpt = c.Excerpt with { Text = c.Excerpt.Text is { } text ? ConflictMarkers.Relabel(text, pull.Name, SoFar) : null },
            OursCommits = c.TheirsCommits, TheirsCommits = c.OursCommits,
        }, SoFar, pull.Name)));
        return found;
    }

    private static MergeWindowConflict ToReport(DescribedConflict c, string first, string second) => new()
    {
        Path = c.Conflict.Path, Kind = c.Conflict.Kind, Message = c.Conflict.Message, Trees = [first, second],
        Excerpt = c.Excerpt.Text, ExcerptTruncated = c.Excerpt.Truncated,
        Sides = [new MergeWindowSide(first, c.OursCommits.ToList()), new MergeWindowSide(second, c.TheirsCommits.ToList())],
    };
}
