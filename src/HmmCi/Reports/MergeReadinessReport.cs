using System.Text.Json.Serialization;

namespace HmmCi.Reports;

// The report every stage adds to; docs/report-schema.md is its contract. Never rename a field.

[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    [JsonStringEnumMemberName("ready")] Ready,
    [JsonStringEnumMemberName("not-ready")] NotReady,
}

[JsonConverter(typeof(JsonStringEnumConverter<StageStatus>))]
public enum StageStatus
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("fail")] Fail,
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("not-run")] NotRun,
    [JsonStringEnumMemberName("not-implemented")] NotImplemented,
}

[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("warning")] Warning,
}

[JsonConverter(typeof(JsonStringEnumConverter<MergeStatus>))]
public enum MergeStatus
{
    [JsonStringEnumMemberName("clean")] Clean,
    [JsonStringEnumMemberName("conflict")] Conflict,
    [JsonStringEnumMemberName("resolved")] Resolved,
    /// <summary>The merge could not be attempted (the tree failed to fetch, or has no common history).</summary>
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("not-implemented")] NotImplemented,
}

[JsonConverter(typeof(JsonStringEnumConverter<TestStatus>))]
public enum TestStatus
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("fail")] Fail,
    [JsonStringEnumMemberName("skip")] Skip,
    [JsonStringEnumMemberName("timeout")] Timeout,
    [JsonStringEnumMemberName("missing")] Missing,
}

public sealed class MergeReadinessReport
{
    public int SchemaVersion { get; init; } = 1;
    public DateTimeOffset GeneratedAt { get; set; }
    public Verdict Verdict { get; set; } = Verdict.NotReady;
    /// <summary>Why the verdict is not-ready, one line each.</summary>
    public List<string> Reasons { get; } = [];
    public string Config { get; init; } = "";
    public required TopicReport Topic { get; init; }
    public required MainlineReport Mainline { get; init; }
    public List<StageReport> Stages { get; } = [];
    public List<CheckFinding> Checks { get; } = [];
    public List<TreeReport> Trees { get; } = [];
    /// <summary>Mainline, the topic and every downstream tree merged together in config order, as Linus would.</summary>
    public MergeWindowReport MergeWindow { get; set; } = new() { Status = MergeStatus.Skipped, Reason = "Merge did not run" };
}

/// <summary>A commit as maintainers cite it: sha12 ("subject").</summary>
public sealed record CommitRef(string Sha, string Subject)
{
    public override string ToString() => $"{Sha[..Math.Min(12, Sha.Length)]} (\"{Subject}\")";
}

public sealed class TopicReport
{
    public required string Name { get; init; }
    public required string Url { get; init; }
    public required string Branch { get; init; }
    public string? Head { get; set; }
    /// <summary>The merge base with mainline.</summary>
    public string? Base { get; set; }
    /// <summary>The mainline release or -rc tag at <see cref="Base"/>, when it is one (set by Check).</summary>
    public string? BaseTag { get; set; }
    /// <summary>The topic's commits beyond mainline, parents first (set by Check); empty means nothing to check.</summary>
    public List<CommitRef> Commits { get; } = [];
    public string? Error { get; set; }
}

public sealed class MainlineReport
{
    public required string Url { get; init; }
    public required string Branch { get; init; }
    public string? Head { get; set; }
    public string? Error { get; set; }
}

public sealed record StageReport(string Name, StageStatus Status, long DurationMs, string? Reason);

public sealed record CheckFinding(string Check, Severity Severity, string? Commit, string Message);

public sealed class TreeReport
{
    public required string Name { get; init; }
    public required string Url { get; init; }
    public required string Branch { get; init; }
    public string? Head { get; set; }
    public Verdict Verdict { get; set; } = Verdict.NotReady;
    public List<string> Reasons { get; } = [];
    /// <summary>Why the tree could not be fetched, in the remote's own words.</summary>
    public string? Error { get; set; }
    public MergeReport Merge { get; set; } = new() { Status = MergeStatus.Skipped, Reason = "Merge did not run" };
    public List<DuplicateCommit> Duplicates { get; } = [];
    public BuildReport Build { get; set; } = new() { Status = StageStatus.Skipped, Reason = "Build did not run" };
    public SelftestsReport Selftests { get; set; } = new() { Status = StageStatus.Skipped, Reason = "Selftests did not run" };
}

public sealed class MergeReport
{
    public required MergeStatus Status { get; init; }
    public string? Reason { get; init; }
    /// <summary>The merged tree's SHA when the merge is clean or resolved.</summary>
    public string? Tree { get; init; }
    /// <summary>The test-merge commit under refs/hmmci/merged/&lt;tree&gt;.</summary>
    public string? Commit { get; init; }
    public List<ConflictReport> Conflicts { get; init; } = [];
    /// <summary>The recorded resolution folder (relative to the config) that was tried, if the tree has one.</summary>
    public string? Resolution { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ResolutionStatus>))]
public enum ResolutionStatus
{
    [JsonStringEnumMemberName("applied")] Applied,
    /// <summary>A resolution is recorded for the path but the conflict changed since: the report shows the new one.</summary>
    [JsonStringEnumMemberName("no-longer-applies")] NoLongerApplies,
    [JsonStringEnumMemberName("none")] None,
}

public sealed class ConflictReport
{
    public required string Path { get; init; }
    public required string Kind { get; init; }
    public string? Message { get; init; }
    /// <summary>The conflicted hunks with markers, capped in size.</summary>
    public string? Excerpt { get; init; }
    public bool ExcerptTruncated { get; init; }
    public List<CommitRef> TopicCommits { get; init; } = [];
    public List<CommitRef> TreeCommits { get; init; } = [];
    /// <summary>Whether a recorded resolution covers this path, and whether it still applies.</summary>
    public ResolutionStatus Resolution { get; init; } = ResolutionStatus.None;
    /// <summary>Why a recorded resolution does not apply any more.</summary>
    public string? ResolutionNote { get; init; }
}

public sealed record DuplicateCommit(string TopicCommit, string TreeCommit, string Subject);

public sealed class BuildReport
{
    public required StageStatus Status { get; init; }
    public string? Reason { get; init; }
    public List<BuildDiagnostic> Errors { get; init; } = [];
    public List<BuildDiagnostic> NewWarnings { get; init; } = [];
}

public sealed record BuildDiagnostic(string File, int Line, string Message);

public sealed class SelftestsReport
{
    public required StageStatus Status { get; init; }
    public string? Reason { get; init; }
    public List<SelftestResult> Tests { get; init; } = [];
}

public sealed record SelftestResult(string Name, TestStatus Status, TestStatus? Baseline);
