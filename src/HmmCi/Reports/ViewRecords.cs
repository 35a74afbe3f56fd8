using HmmCi.Trees;

namespace HmmCi.Reports;

// The records a ReportView is made of (ReportView.cs maps the report model onto them): facts and names only.

/// <summary>A commit as cited: <see cref="Cite"/> is sha12 ("subject"), <see cref="Anchor"/> its id in report.html.</summary>
public sealed record CommitView(string Sha, string Sha12, string Subject, string Cite, string Anchor)
{
    public static CommitView Of(CommitRef commit)
    {
        var sha12 = ReportView.Sha12(commit.Sha);
        return new CommitView(commit.Sha, sha12, commit.Subject, commit.ToString(), "c-" + sha12);
    }
}

/// <summary>One matrix cell: the status word (also its colour class), and the problem it links to.</summary>
public sealed record CellView(string Status, string Text, string? Link);

/// <summary>One side of a conflict: "the hmm tree" or "the merge window so far", and its commits that touched the path.</summary>
public sealed record SideView(string Tree, string Name, IReadOnlyList<CommitView> Commits);

public sealed record ConflictView(
    string Path, string Kind, string? Message, IReadOnlyList<SideView> Sides, string? Excerpt, bool ExcerptTruncated,
    string? NoLongerApplies);

/// <summary>A compiler, linker or kconfig message as the compiler printed it (context lines first), and who caused it.</summary>
public sealed record DiagnosticView(string File, int Line, int? Column, string Severity, string? Flag, string Message, string Text, string? Culprit);

/// <summary>A build's errors or new warnings, with the build named as linux-next names it: x86_64 tinyconfig+hmm-selftests.</summary>
public sealed record BuildProblemView(
    string Lead, string Label, string Kind, string? Commit, IReadOnlyList<DiagnosticView> Diagnostics, IReadOnlyList<string> Culprits,
    string? LogTail, string? Log, string? Reproducer);

/// <summary>Selftests that pass on the tree alone and fail with the topic merged (or flaky ones), and the culprit.</summary>
public sealed record SelftestProblemView(string Lead, IReadOnlyList<TestView> Tests, string? Culprit, IReadOnlyList<string> Bisect, string? Accelerator);

public sealed record TestView(string Name, string Status, string? Baseline, IReadOnlyList<string> Diagnostics, string? Console);

public sealed record DuplicateView(CommitView Topic, string TreeSha12);

public sealed record CheckView(string Check, string Severity, CommitView? Commit, string Message);

/// <summary>Where a finding points in the tree, for GitHub annotations.</summary>
public sealed record LocationView(string Path, int Line, string Severity, string Title, string Message);

/// <summary>
/// One problem the maintainers must act on. <see cref="Kind"/> says which payload is set: fetch, merge,
/// conflict, merge-window-conflict, build-error, new-warnings, selftest-regression, flaky-tests, kernel-problem,
/// check, duplicates.
/// </summary>
public sealed record ProblemView(string Id, string Kind, string Severity, string? Tree, string Heading)
{
    public string? Text { get; init; }
    public ConflictView? Conflict { get; init; }
    public BuildProblemView? Build { get; init; }
    public SelftestProblemView? Selftests { get; init; }
    public CheckView? Check { get; init; }
    public IReadOnlyList<DuplicateView> Duplicates { get; init; } = [];
    public IReadOnlyList<CommitView> Commits { get; init; } = [];
    public IReadOnlyList<LocationView> Locations { get; init; } = [];
    public bool IsError => Severity == "error";
}

public sealed record BuildView(string Label, string Kind, string Status, string Duration, int Warnings, int Errors, int NewWarnings, string? Log, string? LogTail, string? Reproducer, bool Cached, string? Reason);

public sealed record TreeView(string Name, string Branch, string Head, string? Error)
{
    public required CellView Merge { get; init; }
    public required CellView Build { get; init; }
    public required CellView Selftests { get; init; }
    public required CellView Checks { get; init; }
    public required CellView Verdict { get; init; }
    /// <summary>The test merge: its status as report.json spells it, commit and tree (sha12), reason, recorded resolution.</summary>
    public required string MergeStatus { get; init; }
    public string? MergeCommit { get; init; }
    public string? MergeTree { get; init; }
    public string? MergeReason { get; init; }
    public string? Resolution { get; init; }
    public string? ResolvedPaths { get; init; }
    public IReadOnlyList<ProblemView> Problems { get; init; } = [];
    public IReadOnlyList<BuildView> Builds { get; init; } = [];
    public string? SelftestsSummary { get; init; }
}

public sealed record StepView(string Tree, string Head, string Status, string? Note);

public sealed record WindowView(string Status, string? Reason, IReadOnlyList<StepView> Steps, IReadOnlyList<ProblemView> Problems, IReadOnlyList<BuildView> Builds);

public sealed record StageView(string Name, string Status, string Duration, string? Reason);

public sealed record TopicCommitView(CommitView Commit, IReadOnlyList<CheckView> Findings, IReadOnlyList<string> CitedBy);
