using HmmCi.Reports;

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
        var paths = conflicts.SelectMany(c => c.RelatedPaths).ToHashSet(StringComparer.Ordinal);
        var histories = history.TouchingAsync(ours.Head, theirs.Head, paths, cancellation);

        var budget = ExcerptBudgetBytes;
        var described = new List<(Conflict Conflict, TreeFile? Merged, Excerpt Excerpt, byte[] Preimage)>();
        foreach (var conflict in conflicts)
        {
            var merged = objects.ReadFile(output.Tree, conflict.Path);
            var text = merged is { IsBinary: false } && conflict.IsRegularFile ? ConflictMarkers.Relabel(merged.Text, ours.Name, theirs.Name) : null;
            var excerpt = text is null ? Excerpt.None
                : budget <= 0 ? new Excerpt(null, ConflictMarkers.HasMarkers(text))
                : ConflictExcerpt.From(text, maxBytes: Math.Min(ConflictExcerpt.DefaultMaxBytes, budget));
            budget -= excerpt.Text is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(excerpt.Text);
            described.Add((conflict, merged, excerpt, ResolutionPreimage.Of(conflict, text)));
        }

        var sides = await histories;
        return described.Select(d => new DescribedConflict(d.Conflict, d.Merged, d.Excerpt, d.Preimage,
            CommitsTouching(sides.Ours, d.Conflict), CommitsTouching(sides.Theirs, d.Conflict))).ToList();
    }

    private static List<CommitRef> CommitsTouching(IReadOnlyDictionary<string, List<CommitRef>> byPath, Conflict conflict) =>
        conflict.RelatedPaths.SelectMany(p => byPath.GetValueOrDefault(p) ?? []).Distinct().ToList();
}
