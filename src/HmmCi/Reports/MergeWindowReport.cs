using HmmCi.Trees;

namespace HmmCi.Reports;

/// <summary>
/// The merge-window simulation: starting from mainline, the topic and then each downstream tree is merged in
/// config order. A tree that conflicts is left out of the rest (unless its recorded resolution applies), and each
/// conflict names the pair of trees that causes it.
/// </summary>
public sealed class MergeWindowReport
{
    /// <summary>clean, resolved (a recorded resolution was needed), conflict, error or skipped.</summary>
    public required MergeStatus Status { get; init; }
    public string? Reason { get; init; }
    public List<MergeWindowStep> Steps { get; init; } = [];
    public List<MergeWindowConflict> Conflicts { get; init; } = [];
    /// <summary>The tree of everything that merged, and its commit under refs/hmmci/merge-window.</summary>
    public string? Tree { get; init; }
    public string? Commit { get; init; }
    /// <summary>The merge window's tree built, against the mainline head as its baseline.</summary>
    public List<BuildRecord> Builds { get; init; } = [];
}

/// <summary>One pull of the simulated merge window.</summary>
public sealed record MergeWindowStep(string Tree, string Head, MergeStatus Status, string? Note);

public sealed class MergeWindowConflict
{
    public required string Path { get; init; }
    public required string Kind { get; init; }
    /// <summary>The two trees whose meeting causes the conflict (the earlier-merged one first).</summary>
    public required List<string> Trees { get; init; }
    public string? Message { get; init; }
    public string? Excerpt { get; init; }
    public bool ExcerptTruncated { get; init; }
    /// <summary>Per tree of the pair, its commits since the merge base that touched the path.</summary>
    public List<MergeWindowSide> Sides { get; init; } = [];
}

public sealed record MergeWindowSide(string Tree, List<CommitRef> Commits);
