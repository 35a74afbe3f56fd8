using System.Text.Json.Serialization;
using HmmCi.Config;
using HmmCi.Trees;

namespace HmmCi.Reports;

// The report every stage adds to; docs/report-schema.md is its contract. Never rename a field.

[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    [JsonStringEnumMemberName("ready")] Ready,
    /// <summary>A problem was found: a conflict, a check error, a build error, a regression, a kernel that oopses.</summary>
    [JsonStringEnumMemberName("not-ready")] NotReady,
    /// <summary>Nothing was found wrong, but something could not be verified; a found problem wins over this.</summary>
    [JsonStringEnumMemberName("incomplete")] Incomplete,
}

[JsonConverter(typeof(JsonStringEnumConverter<StageStatus>))]
public enum StageStatus
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("fail")] Fail,
    [JsonStringEnumMemberName("skipped")] Skipped,
    [JsonStringEnumMemberName("not-run")] NotRun,
    [JsonStringEnumMemberName("not-implemented")] NotImplemented,
    /// <summary>Stopped by Ctrl-C or SIGTERM, or not started because the run was cancelled.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,
    /// <summary>Ran but could not verify (selftests: tests missing, boot timeout); never a pass.</summary>
    [JsonStringEnumMemberName("error")] Error,
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
    /// <summary>Planned but never reported (the run stopped first); never counted as a regression.</summary>
    [JsonStringEnumMemberName("missing")] Missing,
    [JsonStringEnumMemberName("xfail")] XFail,
    [JsonStringEnumMemberName("xpass")] XPass,
    [JsonStringEnumMemberName("error")] Error,
}

[JsonConverter(typeof(JsonStringEnumConverter<BuildKind>))]
public enum BuildKind
{
    /// <summary>The downstream tree without the topic.</summary>
    [JsonStringEnumMemberName("baseline")] Baseline,
    /// <summary>This run's test merge of the topic into the downstream tree.</summary>
    [JsonStringEnumMemberName("merged")] Merged,
    /// <summary>The topic on its own base.</summary>
    [JsonStringEnumMemberName("topic")] Topic,
    /// <summary>The merge-window simulation's tree.</summary>
    [JsonStringEnumMemberName("merge-window")] MergeWindow,
    /// <summary>The focused allmodconfig compile of what the topic's changes reach.</summary>
    [JsonStringEnumMemberName("focused")] Focused,
}

public sealed class MergeReadinessReport
{
    public int SchemaVersion { get; init; } = 1;
    public DateTimeOffset GeneratedAt { get; set; }
    public Verdict Verdict { get; set; } = Verdict.NotReady;
    /// <summary>Why the verdict is not-ready, one line each.</summary>
    public List<string> Reasons { get; } = [];
    /// <summary>What a maintainer should know that does not block: new warnings (unless they are errors), flaky tests, ...</summary>
    public List<string> Notes { get; } = [];
    /// <summary>Everything Readiness found, in report order: what the reasons and notes say, with what each is about.</summary>
    public List<Finding> Findings { get; } = [];
    public string Config { get; init; } = "";
    public required TopicReport Topic { get; init; }
    public required MainlineReport Mainline { get; init; }
    public List<StageReport> Stages { get; } = [];
    public List<CheckFinding> Checks { get; } = [];
    public List<TreeReport> Trees { get; } = [];
    /// <summary>Mainline, the topic and every downstream tree merged together in config order, as Linus would.</summary>
    public MergeWindowReport MergeWindow { get; set; } = new() { Status = MergeStatus.Skipped, Reason = "Merge did not run" };
    /// <summary>What Publish did; null until it ran.</summary>
    public PublishReport? Publish { get; set; }
}

/// <summary>Where Publish put the report (GitHub, mail), and anything a reader must know about it.</summary>
public sealed class PublishReport
{
    /// <summary>The check run's page, or null when it fell back to a commit status or did not publish.</summary>
    public string? CheckRun { get; set; }
    /// <summary>The commit status posted instead of a check run (a token that may not create check runs).</summary>
    public string? CommitStatus { get; set; }
    /// <summary>The pull request comment kept current.</summary>
    public string? Comment { get; set; }
    /// <summary>Each a sentence, e.g. why it fell back or was skipped.</summary>
    public List<string> Notes { get; init; } = [];
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
    /// <summary>The topic's commits beyond mainline, parents first (set by Fetch, a fact of the trees); empty means nothing to check.</summary>
    public List<CommitRef> Commits { get; } = [];
    public string? Error { get; set; }
    /// <summary>The topic built on its own base, and the baseline it is compared with (mainline at the base).</summary>
    public List<BuildRecord> Builds { get; } = [];
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
    /// <summary>What does not block this tree but should be read: new warnings, flaky and already-failing tests, ...</summary>
    public List<string> Notes { get; } = [];
    /// <summary>Why the tree could not be fetched, in the remote's own words.</summary>
    public string? Error { get; set; }
    public MergeReport Merge { get; set; } = new() { Status = MergeStatus.Skipped, Reason = "Merge did not run" };
    public List<DuplicateCommit> Duplicates { get; } = [];
    /// <summary>The roll-up of <see cref="Builds"/>: fail when any merged or focused build fails.</summary>
    public BuildReport Build { get; set; } = new() { Status = StageStatus.Skipped, Reason = "Build did not run" };
    /// <summary>Every build of this tree: its baseline, the merged tree, the focused compile.</summary>
    public List<BuildRecord> Builds { get; } = [];
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
    /// <summary>The merged builds' new errors (not in the baseline).</summary>
    public List<BuildDiagnostic> Errors { get; init; } = [];
    public List<BuildDiagnostic> NewWarnings { get; init; } = [];
}

/// <summary>
/// A compiler, linker, kconfig or make diagnostic. <see cref="File"/> is relative to the tree; <see cref="Context"/>
/// holds the "In function" / "In file included from" / note lines that belong to it.
/// </summary>
public sealed record BuildDiagnostic(string File, int Line, string Message)
{
    public int? Column { get; init; }
    /// <summary>error, warning, note (also fatal error as error).</summary>
    public string Severity { get; init; } = "error";
    /// <summary>The -W flag gcc or clang named, e.g. -Wunused-variable.</summary>
    public string? Flag { get; init; }
    public List<string> Context { get; init; } = [];
    /// <summary>Who caused it, when a later stage found out.</summary>
    public Culprit? Culprit { get; init; }
}

/// <summary>
/// The commits that caused a failure, and the sentence that says so in linux-next's words, e.g. 'Caused by commit
/// 0123456789ab ("mm/hmm: ...") interacting with commit ba9876543210 ("...") from the drm tree.'
/// </summary>
public sealed record Culprit(CommitRef TopicCommit, CommitRef? TreeCommit, string Tree, string Text);

/// <summary>A record, so a build's result reused or amended is a <c>with</c> of it, every other field as it was.</summary>
public sealed record BuildRecord
{
    public required BuildKind Kind { get; init; }
    /// <summary>The kernel config's name, e.g. tinyconfig+hmm-selftests.</summary>
    public required string Config { get; init; }
    public string Arch { get; init; } = "x86_64";
    /// <summary>podman, docker or host.</summary>
    public string? Runtime { get; init; }
    /// <summary>The build image's id.</summary>
    public string? Image { get; init; }
    /// <summary>The commit and tree built.</summary>
    public string? Commit { get; init; }
    public string? SourceTree { get; init; }
    public required StageStatus Status { get; init; }
    public string? Reason { get; init; }
    public long DurationMs { get; init; }
    public List<BuildDiagnostic> Errors { get; init; } = [];
    /// <summary>All warnings of this build.</summary>
    public int Warnings { get; init; }
    /// <summary>Warnings this build has and its baseline has not (line numbers aside).</summary>
    public List<BuildDiagnostic> NewWarnings { get; init; } = [];
    /// <summary>The build's full log, relative to the output folder.</summary>
    public string? Log { get; init; }
    /// <summary>The last lines of a failed build's log.</summary>
    public string? LogTail { get; init; }
    /// <summary>A command line that rebuilds it by hand, pasteable.</summary>
    public string? Reproducer { get; init; }
    /// <summary>Whether the result came from the result cache.</summary>
    public bool Cached { get; init; }
    public BuildArtifacts Artifacts { get; init; } = new();
    /// <summary>The focused compile's files, each with why it was chosen.</summary>
    public List<FocusedFile> Candidates { get; init; } = [];
    /// <summary>Candidates the config does not reach, or that were over the cap, each with why.</summary>
    public List<FocusedFile> NotCompiled { get; init; } = [];
}

/// <summary>Paths relative to the output folder; null when the build did not produce them.</summary>
public sealed class BuildArtifacts
{
    public string? Kernel { get; init; }
    public string? Headers { get; init; }
    public SelftestArtifacts Selftests { get; init; } = new();
}

public sealed class SelftestArtifacts
{
    [JsonPropertyName("hmm-tests")]
    public string? HmmTests { get; init; }
    /// <summary>The fixes applied to the selftest sources' copy before building (never to the tree), e.g. kselftest-harness-trigger.</summary>
    public List<string> HarnessFixes { get; init; } = [];
}

public sealed record FocusedFile(string File, string Reason);

public sealed class SelftestsReport
{
    public required StageStatus Status { get; init; }
    public string? Reason { get; init; }
    /// <summary>kvm or tcg for QEMU; the command's name for a command runner.</summary>
    public string? Accelerator { get; init; }
    public long DurationMs { get; init; }
    /// <summary>Per test: the merged kernel's result next to the baseline's.</summary>
    public List<SelftestResult> Tests { get; init; } = [];
    /// <summary>Every boot: baseline, merged, confirmation runs and bisect steps.</summary>
    public List<SelftestRun> Runs { get; init; } = [];
    /// <summary>Who caused the confirmed regressions, or the range left when the bisect budget ran out.</summary>
    public Culprit? Culprit { get; init; }
    public List<BisectStep> Bisect { get; init; } = [];
    /// <summary>The kselftest harness fixes the merged kernel's hmm-tests was built with (never applied to the tree).</summary>
    public List<string> HarnessFixes { get; init; } = [];
}

public sealed record SelftestResult(string Name, TestStatus Status, TestStatus? Baseline)
{
    /// <summary>The failure's lines from the console.</summary>
    public List<string> Diagnostics { get; init; } = [];
    /// <summary>Failed once and passed when run again.</summary>
    public bool Flaky { get; init; }
    /// <summary>What Readiness made of the two results; null until it judged them.</summary>
    public SelftestClass? Classification { get; init; }
}

/// <summary>One boot of one kernel.</summary>
public sealed class SelftestRun
{
    /// <summary>baseline, merged, confirm, or bisect.</summary>
    public required string Kind { get; init; }
    public string? Commit { get; init; }
    public required StageStatus Status { get; init; }
    public string? Reason { get; init; }
    public string? Accelerator { get; init; }
    public long DurationMs { get; init; }
    /// <summary>The console log, relative to the output folder.</summary>
    public string? Console { get; init; }
    public int Passed { get; init; }
    public int Failed { get; init; }
    public int Skipped { get; init; }
    /// <summary>Oopses, BUGs, WARNINGs, panics and hung tasks seen on the console, each with the test that was running.</summary>
    public List<KernelProblem> KernelProblems { get; init; } = [];
}

public sealed record KernelProblem(string Kind, string? Test, List<string> Lines);

public sealed record BisectStep(CommitRef Commit, string Result, long DurationMs);
