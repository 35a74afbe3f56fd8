using System.Text.Json.Serialization;

namespace HmmCi.Reports;

// What Readiness found, as report.json holds it. Every rendering shows these; none decides anything itself.

/// <summary>What a finding does to the verdict.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingEffect>))]
public enum FindingEffect
{
    /// <summary>A problem was found: the verdict is not-ready.</summary>
    [JsonStringEnumMemberName("problem")] Problem,
    /// <summary>Something could not be verified: the verdict is at best incomplete.</summary>
    [JsonStringEnumMemberName("unverified")] Unverified,
    /// <summary>Worth reading, never blocking: new warnings, flaky or already-failing tests, a tree without hmm-tests.</summary>
    [JsonStringEnumMemberName("note")] Note,
}

[JsonConverter(typeof(JsonStringEnumConverter<FindingKind>))]
public enum FindingKind
{
    /// <summary>A tree, the topic or mainline could not be fetched.</summary>
    [JsonStringEnumMemberName("fetch")] Fetch,
    /// <summary>A stage that did not run, was skipped, cancelled or is not implemented.</summary>
    [JsonStringEnumMemberName("stage")] Stage,
    /// <summary>A test merge that could not be attempted or did not run.</summary>
    [JsonStringEnumMemberName("merge")] Merge,
    [JsonStringEnumMemberName("conflict")] Conflict,
    [JsonStringEnumMemberName("resolution-no-longer-applies")] ResolutionNoLongerApplies,
    [JsonStringEnumMemberName("merge-window-conflict")] MergeWindowConflict,
    /// <summary>A build that did not run, left no record, or could not be judged (a timeout, an engine failure).</summary>
    [JsonStringEnumMemberName("build")] Build,
    [JsonStringEnumMemberName("build-error")] BuildError,
    [JsonStringEnumMemberName("new-warnings")] NewWarnings,
    [JsonStringEnumMemberName("selftest-regression")] SelftestRegression,
    /// <summary>Who caused a build error or selftest regression, in linux-next's words ("Caused by commit ...").</summary>
    [JsonStringEnumMemberName("culprit")] Culprit,
    [JsonStringEnumMemberName("flaky-tests")] FlakyTests,
    [JsonStringEnumMemberName("already-failing")] AlreadyFailing,
    [JsonStringEnumMemberName("fixed")] Fixed,
    /// <summary>An oops, BUG, WARNING, panic or hung task of a kernel with the topic merged.</summary>
    [JsonStringEnumMemberName("kernel-problem")] KernelProblem,
    /// <summary>The selftests as a whole: not verified, skipped, or a tree without hmm-tests.</summary>
    [JsonStringEnumMemberName("selftests")] Selftests,
    /// <summary>A topic check's finding; <see cref="Finding.Index"/> is its index in the report's checks.</summary>
    [JsonStringEnumMemberName("check")] Check,
    [JsonStringEnumMemberName("duplicates")] Duplicates,
}

/// <summary>Where a finding is: one downstream tree, the topic (its checks, its own build), or the merge window.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FindingScope>))]
public enum FindingScope
{
    [JsonStringEnumMemberName("tree")] Tree,
    [JsonStringEnumMemberName("topic")] Topic,
    [JsonStringEnumMemberName("merge-window")] MergeWindow,
}

/// <summary>
/// One thing Readiness found, with what it is about, so that a rendering finds the details (the conflict, the build,
/// the tests) by name instead of deciding again what counts. <see cref="Text"/> is the reason or note as said.
/// </summary>
public sealed record Finding(FindingKind Kind, FindingEffect Effect, FindingScope Scope, string Text)
{
    /// <summary>The downstream tree, when <see cref="Scope"/> is tree.</summary>
    public string? Tree { get; init; }
    /// <summary>The conflicted paths.</summary>
    public List<string> Paths { get; init; } = [];
    /// <summary>The trees a merge-window conflict is between, in merge order.</summary>
    public List<string> Trees { get; init; } = [];
    /// <summary>The build: its kind, config and architecture.</summary>
    public BuildKind? Build { get; init; }
    public string? Config { get; init; }
    public string? Arch { get; init; }
    /// <summary>The selftests it names.</summary>
    public List<string> Tests { get; init; } = [];
    /// <summary>A kernel problem's selftest run: its index in the tree's selftest runs.</summary>
    public int? Run { get; init; }
    /// <summary>The check finding's index in the report's checks; the kernel problem's in its run.</summary>
    public int? Index { get; init; }
}

/// <summary>A selftest's merged result next to its baseline's, as Readiness classifies it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SelftestClass>))]
public enum SelftestClass
{
    /// <summary>Does not fail without the topic, does not pass with it: blocks.</summary>
    [JsonStringEnumMemberName("regression")] Regression,
    /// <summary>Fails on the baseline and merged: the tree's own failure.</summary>
    [JsonStringEnumMemberName("already-failing")] AlreadyFailing,
    /// <summary>Fails on the baseline, passes merged.</summary>
    [JsonStringEnumMemberName("fixed")] Fixed,
    /// <summary>Failed once and passed when run again.</summary>
    [JsonStringEnumMemberName("unstable")] Unstable,
    /// <summary>Nothing to say: passes on both, or one side never ran it.</summary>
    [JsonStringEnumMemberName("neutral")] Neutral,
}
