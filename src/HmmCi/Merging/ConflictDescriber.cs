using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>A side of a merge: a tree's name (or a description) and the commit merged.</summary>
public sealed record MergeSide(string Name, string Head);

/// <summary>A conflict with what a maintainer needs to act on it.</summary>
public sealed record DescribedConflict(
    Conflict Conflict,
    TreeFile? Merged,
    Excerpt Excerpt,
    byte[] Preimage,
    IReadOnlyList<CommitRef> OursCommits,
    IReadOnlyList<CommitRef> TheirsCommits);

/// <summary>
/// Adds to each conflict of a merge its excerpt (the hunks with markers, labelled with tree names), its preimage
/// for recorded resolutions, and each side's commits that touched it. Excerpts share one budget per merge, so a
/// huge conflict stays readable; the path list is always complete.
/// </summary>
public sealed class ConflictDescriber(StoreObjects objects, PathHistory history)
{
    public const int ExcerptBudgetBytes = 256 * 1024;

    public async Task<IReadOnlyList<DescribedConflict>> DescribeAsync(MergeTreeOutput output, MergeSide ours, MergeSide theirs, CancellationToken cancellation = default)
    {
        var conflicts = ConflictClassifier.Classify(output);
        // The history is read while the excerpts are cut.
        var histories = history.TouchingAsync(ours.Head, theirs.Head, PathsOf(conflicts.Select(c => c.RelatedPaths)), cancellation);
        var described = Describe(output, conflicts, ours, theirs);
        return WithCommits(described, await histories);
    }

    /// <summary>The conflicts without each side's commits, when those may not be needed: reading them can cost a git log.</summary>
    public IReadOnlyList<DescribedConflict> DescribeWithoutHistory(MergeTreeOutput output, MergeSide ours, MergeSide theirs) =>
        Describe(output, ConflictClassifier.Classify(output), ours, theirs);

    /// <summary>
    /// Adds each side's commits to conflicts described without them, read for the paths of all of
    /// <paramref name="conflicts"/> (as <see cref="DescribeAsync"/> reads them), and returns those asked for.
    /// </summary>
    public async Task<IReadOnlyList<DescribedConflict>> WithHistoryAsync(IReadOnlyList<DescribedConflict> conflicts, MergeSide ours, MergeSide theirs,
        Func<DescribedConflict, bool> asked, CancellationToken cancellation = default)
    {
        var sides = await history.TouchingAsync(ours.Head, theirs.Head, PathsOf(conflicts.Select(c => c.Conflict.RelatedPaths)), cancellation);
        return WithCommits(conflicts.Where(asked).ToList(), sides);
    }

    private List<DescribedConflict> Describe(MergeTreeOutput output, IReadOnlyList<Conflict> conflicts, MergeSide ours, MergeSide theirs)
    {
        var budget = ExcerptBudgetBytes;
        var described = new List<DescribedConflict>();
        foreach (var conflict in conflicts)
        {
            var merged = objects.ReadFile(output.Tree, conflict.Path);
            var text = merged is { IsBinary: false } && conflict.IsRegularFile ? ConflictMarkers.Relabel(merged.Text, ours.Name, theirs.Name) : null;
            var excerpt = text is null ? Excerpt.None
                : budget <= 0 ? new Excerpt(null, ConflictMarkers.HasMarkers(text))
                : ConflictExcerpt.From(text, maxBytes: Math.Min(ConflictExcerpt.DefaultMaxBytes, budget));
            budget -= excerpt.Text is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(excerpt.Text);
            described.Add(new DescribedConflict(conflict, merged, excerpt, ResolutionPreimage.Of(conflict, text), [], []));
        }
        return described;
    }

    private static HashSet<string> PathsOf(IEnumerable<IReadOnlyList<string>> related) => related.SelectMany(p => p).ToHashSet(StringComparer.Ordinal);

    private static List<DescribedConflict> WithCommits(IReadOnlyList<DescribedConflict> described, SideHistories sides) =>
        described.Select(d => d with { OursCommits = CommitsTouching(sides.Ours, d.Conflict), TheirsCommits = CommitsTouching(sides.Theirs, d.Conflict) }).ToList();

    private static List<CommitRef> CommitsTouching(IReadOnlyDictionary<string, List<CommitRef>> byPath, Conflict conflict) =>
        conflict.RelatedPaths.SelectMany(p => byPath.GetValueOrDefault(p) ?? []).Distinct().ToList();
}
