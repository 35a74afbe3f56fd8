using HmmCi.Config;

namespace HmmCi.Reports;

/// <summary>
/// Decides the verdicts. Ready means verified: the topic checks, the test merges, the builds and the selftests
/// all ran and passed. A stage that was skipped, not asked for, or not implemented leaves the verdict not-ready,
/// with the reason, so a partial run never reads as a green light. What does not block but should be read
/// (new warnings, flaky or already-failing tests, a tree without hmm-tests) goes into the notes.
/// </summary>
public static class Readiness
{
    /// <summary>The pipeline targets whose results a verdict stands on.</summary>
    public static readonly IReadOnlyList<string> VerifyingStages = ["Check", "Merge", "Build", "Selftests"];

    /// <summary>The selftests' skip reason for a tree that has no hmm-tests (older than HMM's selftests): it does not block.</summary>
    public const string HmmTestsNotPresent = "hmm-tests not present";

    /// <summary>How many names or diagnostics one reason lists before it counts the rest.</summary>
    private const int Listed = 5;

    public static void Decide(MergeReadinessReport report, KernelConfig? kernel = null)
    {
        var warningsBlock = (kernel ?? KernelConfig.Default).NewWarnings == Severity.Error;
        foreach (var tree in report.Trees)
        {
            var findings = new Findings(warningsBlock);
            JudgeTree(tree, findings);
            tree.Reasons.Clear();
            tree.Reasons.AddRange(findings.Reasons);
            tree.Notes.Clear();
            tree.Notes.AddRange(findings.Notes);
            tree.Verdict = tree.Reasons.Count == 0 ? Verdict.Ready : Verdict.NotReady;
        }

        var topic = new Findings(warningsBlock);
        if (report.Topic.Error is { } topicError) topic.Block($"topic {report.Topic.Name}: {topicError}");
        if (report.Mainline.Error is { } mainlineError) topic.Block($"mainline: {mainlineError}");
        foreach (var stage in report.Stages.Where(s => s.Status is StageStatus.Fail or StageStatus.NotImplemented or StageStatus.Cancelled))
            topic.Block($"stage {stage.Name}: {Describe(stage.Status)}{(stage.Reason is null ? "" : $" ({stage.Reason})")}");
        foreach (var name in VerifyingStages)
        {
            var stage = report.Stages.FirstOrDefault(s => s.Name == name);
            if (stage is null) topic.Block($"stage {name}: did not run");
            else if (stage.Status is StageStatus.Skipped or StageStatus.NotRun)
                topic.Block($"stage {name}: {Describe(stage.Status)}{(stage.Reason is null ? "" : $" ({stage.Reason})")}");
        }
        var errors = report.Checks.Count(c => c.Severity == Severity.Error);
        if (errors > 0) topic.Block($"{errors} topic check error{(errors == 1 ? "" : "s")}");

        // A topic that does not build on its own base is told apart from a bad merge; the merge window is what Linus pulls.
        var buildRan = report.Stages.Any(s => s.Name == "Build" && s.Status == StageStatus.Pass);
        JudgeBuilds(report.Topic.Builds, [BuildKind.Topic], "topic", required: buildRan, topic);
        var window = report.MergeWindow;
        // Its focused compile's new errors are semantic conflicts Linus would hit when he pulls the trees.
        JudgeBuilds(window.Builds, [BuildKind.MergeWindow, BuildKind.Focused], "merge window",
            required: buildRan && window.Status is MergeStatus.Clean or MergeStatus.Resolved, topic);

        foreach (var tree in report.Trees.Where(t => t.Verdict == Verdict.NotReady))
            topic.Block($"tree {tree.Name}: {string.Join("; ", tree.Reasons)}");
        // Linus would see these when he pulls the trees, even if every test merge is clean.
        foreach (var pair in window.Conflicts.GroupBy(c => string.Join(" and ", c.Trees)))
            topic.Block($"merge window: {pair.Key} conflict in {string.Join(", ", pair.Select(c => c.Path).Distinct())}");
        if (window.Status == MergeStatus.Error) topic.Block($"merge window: {window.Reason}");
        foreach (var tree in report.Trees)
            foreach (var note in tree.Notes) topic.Note($"tree {tree.Name}: {note}");

        report.Reasons.Clear();
        report.Reasons.AddRange(topic.Reasons);
        report.Notes.Clear();
        report.Notes.AddRange(topic.Notes);
        report.Verdict = report.Reasons.Count == 0 ? Verdict.Ready : Verdict.NotReady;
    }

    private static void JudgeTree(TreeReport tree, Findings findings)
    {
        if (tree.Error is not null)
        {
            findings.Block(tree.Error);
            return;
        }
        switch (tree.Merge.Status)
        {
            case MergeStatus.Clean or MergeStatus.Resolved:
                break;
            case MergeStatus.Conflict:
                findings.Block($"merge conflict in {string.Join(", ", tree.Merge.Conflicts.Select(c => c.Path))}");
                if (tree.Merge.Conflicts.Any(c => c.Resolution == ResolutionStatus.NoLongerApplies))
                    findings.Block($"the recorded resolution in {tree.Merge.Resolution} no longer applies");
                break;
            default:
                findings.Block($"merge: {Describe(tree.Merge.Status)}{(tree.Merge.Reason is null ? "" : $" ({tree.Merge.Reason})")}");
                break;
        }

        var failed = JudgeBuilds(tree.Builds, [BuildKind.Merged, BuildKind.Focused], "build", required: tree.Build.Status == StageStatus.Pass, findings);
        // The roll-up speaks for builds that left no record (not run, not implemented), or for a failure none of them shows.
        if (tree.Build.Status != StageStatus.Pass && !failed)
            findings.Block($"build: {Describe(tree.Build.Status)}{(tree.Build.Reason is null ? "" : $" ({tree.Build.Reason})")}{FirstErrors(tree.Build.Errors)}");
        var recorded = tree.Builds.Where(b => b.Kind is BuildKind.Merged or BuildKind.Focused).SelectMany(b => b.NewWarnings).Select(Key).ToHashSet();
        foreach (var warning in tree.Build.NewWarnings.Where(w => !recorded.Contains(Key(w))))
            findings.Warning($"build: new warning: {Cite(warning)}");

        JudgeSelftests(tree.Selftests, findings);
    }

    /// <summary>
    /// The builds of the given kinds must pass; a focused compile may be skipped (not configured, nothing to compile),
    /// which is said. <paramref name="required"/>: the Build stage passed, so a build of the first kind must be there.
    /// Returns whether any of them failed.
    /// </summary>
    private static bool JudgeBuilds(IReadOnlyList<BuildRecord> builds, BuildKind[] kinds, string what, bool required, Findings findings)
    {
        var failed = false;
        var judged = builds.Where(b => kinds.Contains(b.Kind)).ToList();
        if (required && judged.All(b => b.Kind != kinds[0]))
            findings.Block($"{what}: no {WireNames.Of(kinds[0])} build was recorded");
        foreach (var build in judged)
        {
            var name = $"{what} {WireNames.Of(build.Kind)} ({build.Config}, {build.Arch})";
            if (build.Status == StageStatus.Pass) { }
            else if (build.Kind == BuildKind.Focused && build.Status == StageStatus.Skipped)
                findings.Note($"{name}: skipped{(build.Reason is null ? "" : $" ({build.Reason})")}");
            else
            {
                failed = true;
                findings.Block($"{name}: {Describe(build.Status)}{(build.Reason is null ? "" : $" ({build.Reason})")}{FirstErrors(build.Errors)}");
                foreach (var culprit in build.Errors.Select(e => e.Culprit?.Text).OfType<string>().Distinct())
                    findings.Block($"{name}: {culprit}");
            }
            foreach (var warning in build.NewWarnings)
                findings.Warning($"{name}: new warning: {Cite(warning)}");
        }
        return failed;
    }

    private static void JudgeSelftests(SelftestsReport selftests, Findings findings)
    {
        var tests = selftests.Tests;
        // NIPA's rule: a regression passes on the baseline and not on the merged kernel; a test that never ran is not one.
        var regressions = tests.Where(t => t.Baseline == TestStatus.Pass && t.Status is not (TestStatus.Pass or TestStatus.Missing) && !t.Flaky).ToList();
        if (regressions.Count > 0)
            findings.Block($"selftests: {Count(regressions.Count, "regression")} (pass on the baseline, not on the merged kernel): {Names(regressions)}");
        if (selftests.Culprit is { } culprit) findings.Block($"selftests: {culprit.Text}");

        switch (selftests.Status)
        {
            case StageStatus.Pass:
                break;
            case StageStatus.Fail when regressions.Count > 0:
                break;
            case StageStatus.Error:
                findings.Block($"selftests: not verified{(selftests.Reason is null ? "" : $" ({selftests.Reason})")}");
                break;
            case StageStatus.Skipped when selftests.Reason?.StartsWith(HmmTestsNotPresent, StringComparison.Ordinal) == true:
                findings.Note($"selftests: skipped ({selftests.Reason}); this does not block");
                break;
            default:
                findings.Block($"selftests: {Describe(selftests.Status)}{(selftests.Reason is null ? "" : $" ({selftests.Reason})")}");
                break;
        }

        var flaky = tests.Where(t => t.Flaky).ToList();
        if (flaky.Count > 0) findings.Note($"selftests: {Count(flaky.Count, "flaky test")} (failed once, passed when run again): {Names(flaky)}");
        var alreadyFailing = tests.Where(t => t.Baseline is { } b && Fails(b) && Fails(t.Status)).ToList();
        if (alreadyFailing.Count > 0) findings.Note($"selftests: already failing on the baseline: {Names(alreadyFailing)}");
        var fixes = tests.Where(t => t.Baseline is { } b && Fails(b) && t.Status == TestStatus.Pass).ToList();
        if (fixes.Count > 0) findings.Note($"selftests: fixed by the topic (fail on the baseline, pass merged): {Names(fixes)}");
    }

    private static bool Fails(TestStatus status) => status is TestStatus.Fail or TestStatus.Timeout or TestStatus.Error;

    private static string Names(IReadOnlyList<SelftestResult> tests) =>
        string.Join(", ", tests.Take(Listed).Select(t => t.Name)) + (tests.Count > Listed ? $" and {tests.Count - Listed} more" : "");

    private static string FirstErrors(IReadOnlyList<BuildDiagnostic> errors) =>
        errors.Count == 0 ? ""
        : ": " + string.Join("; ", errors.Take(Listed).Select(Cite)) + (errors.Count > Listed ? $" and {errors.Count - Listed} more errors" : "");

    /// <summary>A diagnostic as gcc prints it: file:line:col: message [-Wflag].</summary>
    private static string Cite(BuildDiagnostic d) =>
        $"{d.File}:{d.Line}:{(d.Column is { } column ? $"{column}:" : "")} {d.Message}{(d.Flag is null ? "" : $" [{d.Flag}]")}";

    private static (string, int, string, string?) Key(BuildDiagnostic d) => (d.File, d.Line, d.Message, d.Flag);

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    private static string Describe(StageStatus status) => status switch
    {
        StageStatus.Fail => "failed",
        StageStatus.NotImplemented => "not implemented",
        StageStatus.NotRun => "not run",
        _ => WireNames.Of(status),
    };

    private static string Describe(MergeStatus status) => status == MergeStatus.NotImplemented ? "not implemented" : WireNames.Of(status);

    /// <summary>What blocks and what is only said; new warnings are either, by <c>kernel.newWarnings</c>.</summary>
    private sealed class Findings(bool warningsBlock)
    {
        public List<string> Reasons { get; } = [];
        public List<string> Notes { get; } = [];

        public void Block(string reason) => Reasons.Add(reason);
        public void Note(string note) => Notes.Add(note);
        public void Warning(string text) => (warningsBlock ? Reasons : Notes).Add(warningsBlock ? $"{text} (kernel.newWarnings: error)" : text);
    }
}
