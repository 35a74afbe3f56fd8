using HmmCi.Config;

namespace HmmCi.Reports;

/// <summary>
/// Owns every rule that decides a verdict: what a regression is, what is flaky, already failing or fixed, what
/// blocks, what could not be verified and what is only said. Ready means verified: the topic checks, the test
/// merges, the builds and the selftests all ran and passed. A found problem makes the verdict not-ready; otherwise
/// anything that could not be verified (a stage skipped or not in the plan, a tree that failed to fetch, a container
/// engine or QEMU failure, a baseline that does not boot) makes it incomplete, so a partial run never reads as a
/// green light. Every rendering shows the findings written here and decides nothing itself.
/// </summary>
public static class Readiness
{
    /// <summary>The pipeline targets whose results a verdict stands on.</summary>
    public static readonly IReadOnlyList<string> VerifyingStages = ["Check", "Merge", "Build", "Selftests"];

    /// <summary>The selftests' skip reason for a tree that has no hmm-tests (older than HMM's selftests): it does not block.</summary>
    public const string HmmTestsNotPresent = "hmm-tests not present";

    /// <summary>How many names or diagnostics one reason lists before it counts the rest.</summary>
    private const int Listed = 5;

    /// <summary>
    /// A test's merged result next to its baseline's (null: the baseline ran to its end without this test). NIPA's
    /// and KernelCI's reading: a regression does not fail without the topic and does not pass with it; a test that
    /// never reported (missing) on either side tells nothing.
    /// </summary>
    public static SelftestClass Classify(SelftestResult test) => Classify(test.Baseline, test.Status, test.Flaky);

    public static SelftestClass Classify(TestStatus? baseline, TestStatus merged, bool flaky) =>
        flaky ? SelftestClass.Unstable
        : IsRegression(baseline, merged) ? SelftestClass.Regression
        : baseline is { } b && Fails(b) ? merged == TestStatus.Pass ? SelftestClass.Fixed : Fails(merged) ? SelftestClass.AlreadyFailing : SelftestClass.Neutral
        : SelftestClass.Neutral;

    /// <summary>
    /// The regression predicate, referenced nowhere else (an architecture test holds this): a test that passed on the
    /// baseline and does anything but pass merged (fail, skip, xfail, ...); or one the baseline did not have, or
    /// skipped, that fails merged.
    /// </summary>
    private static bool IsRegression(TestStatus? baseline, TestStatus merged) => baseline switch
    {
        TestStatus.Pass => merged is not (TestStatus.Pass or TestStatus.Missing),
        null or TestStatus.Skip or TestStatus.XFail => Fails(merged),
        _ => false,
    };

    /// <summary>kselftest counts an unexpected pass as a failure (exit code KSFT_XPASS).</summary>
    private static bool Fails(TestStatus status) => status is TestStatus.Fail or TestStatus.Timeout or TestStatus.Error or TestStatus.XPass;

    public static void Decide(MergeReadinessReport report, KernelConfig? kernel = null)
    {
        var warningsBlock = (kernel ?? KernelConfig.Default).NewWarnings == Severity.Error;
        var all = new List<Finding>();
        var buildRan = report.Stages.Any(s => s.Name == "Build" && s.Status == StageStatus.Pass);
        foreach (var tree in report.Trees)
        {
            Classify(tree.Selftests.Tests);
            var findings = new Findings(warningsBlock, FindingScope.Tree, tree.Name);
            JudgeTree(tree, findings);
            tree.Reasons.Clear();
            tree.Reasons.AddRange(findings.Reasons);
            tree.Notes.Clear();
            tree.Notes.AddRange(findings.Notes);
            tree.Verdict = VerdictOf(findings.List);
            all.AddRange(findings.List);
        }

        // Linus would see these when he pulls the trees, even if every test merge is clean.
        var window = report.MergeWindow;
        var windowFindings = new Findings(warningsBlock, FindingScope.MergeWindow, null);
        foreach (var pair in window.Conflicts.GroupBy(c => string.Join(" and ", c.Trees)))
        {
            var paths = pair.Select(c => c.Path).Distinct().ToList();
            windowFindings.Add(FindingKind.MergeWindowConflict, FindingEffect.Problem, $"merge window: {pair.Key} conflict in {string.Join(", ", paths)}",
                f => f with { Paths = paths, Trees = pair.First().Trees.ToList() });
        }
        if (window.Status == MergeStatus.Error)
            windowFindings.Add(FindingKind.Merge, FindingEffect.Unverified, $"merge window: {window.Reason}");
        // Its focused compile's new errors are semantic conflicts Linus would hit when he pulls the trees.
        JudgeBuilds(window.Builds, [BuildKind.MergeWindow, BuildKind.Focused], "merge window",
            required: buildRan && window.Status is MergeStatus.Clean or MergeStatus.Resolved, windowFindings);
        all.AddRange(windowFindings.List);

        var topic = new Findings(warningsBlock, FindingScope.Topic, null);
        // A topic that does not build on its own base is told apart from a bad merge.
        JudgeBuilds(report.Topic.Builds, [BuildKind.Topic], "topic", required: buildRan, topic);
        for (var i = 0; i < report.Checks.Count; i++)
        {
            var check = report.Checks[i];
            topic.Add(FindingKind.Check, check.Severity == Severity.Error ? FindingEffect.Problem : FindingEffect.Note,
                $"check {check.Check}: {check.Message}", f => f with { Index = i });
        }
        if (report.Topic.Error is { } topicError) topic.Add(FindingKind.Fetch, FindingEffect.Unverified, $"topic {report.Topic.Name}: {topicError}");
        if (report.Mainline.Error is { } mainlineError) topic.Add(FindingKind.Fetch, FindingEffect.Unverified, $"mainline: {mainlineError}");
        foreach (var stage in report.Stages.Where(s => s.Status is StageStatus.Fail or StageStatus.NotImplemented or StageStatus.Cancelled))
            topic.Add(FindingKind.Stage, FindingEffect.Unverified, $"stage {stage.Name}: {Describe(stage.Status)}{Why(stage.Reason)}");
        foreach (var name in VerifyingStages)
        {
            var stage = report.Stages.FirstOrDefault(s => s.Name == name);
            if (stage is null) topic.Add(FindingKind.Stage, FindingEffect.Unverified, $"stage {name}: did not run");
            else if (stage.Status is StageStatus.Skipped or StageStatus.NotRun)
                topic.Add(FindingKind.Stage, FindingEffect.Unverified, $"stage {name}: {Describe(stage.Status)}{Why(stage.Reason)}");
        }
        all.AddRange(topic.List);

        report.Findings.Clear();
        report.Findings.AddRange(all);
        report.Reasons.Clear();
        report.Reasons.AddRange(all.Where(f => f.Effect != FindingEffect.Note).Select(Said));
        report.Notes.Clear();
        report.Notes.AddRange(all.Where(f => f.Effect == FindingEffect.Note).Select(Said));
        report.Verdict = VerdictOf(all);
    }

    /// <summary>A finding as the topic's reasons and notes say it: a tree's names the tree once; the topic's own are as they are.</summary>
    public static string Said(Finding f) => f.Scope == FindingScope.Tree ? $"tree {f.Tree}: {f.Text}" : f.Text;

    /// <summary>A found problem wins over what could not be verified.</summary>
    private static Verdict VerdictOf(IEnumerable<Finding> findings)
    {
        var effects = findings.Select(f => f.Effect).ToHashSet();
        return effects.Contains(FindingEffect.Problem) ? Verdict.NotReady
            : effects.Contains(FindingEffect.Unverified) ? Verdict.Incomplete
            : Verdict.Ready;
    }

    /// <summary>Writes each test's classification into the report, where the renderings read it.</summary>
    private static void Classify(List<SelftestResult> tests)
    {
        for (var i = 0; i < tests.Count; i++) tests[i] = tests[i] with { Classification = Classify(tests[i]) };
    }

    private static void JudgeTree(TreeReport tree, Findings findings)
    {
        if (tree.Error is not null)
        {
            findings.Add(FindingKind.Fetch, FindingEffect.Unverified, tree.Error);
            return;
        }
        switch (tree.Merge.Status)
        {
            case MergeStatus.Clean or MergeStatus.Resolved:
                break;
            case MergeStatus.Conflict:
                var paths = tree.Merge.Conflicts.Select(c => c.Path).ToList();
                findings.Add(FindingKind.Conflict, FindingEffect.Problem, $"merge conflict in {string.Join(", ", paths)}", f => f with { Paths = paths });
                if (tree.Merge.Conflicts.Any(c => c.Resolution == ResolutionStatus.NoLongerApplies))
                    findings.Add(FindingKind.ResolutionNoLongerApplies, FindingEffect.Problem, $"the recorded resolution in {tree.Merge.Resolution} no longer applies");
                break;
            default:
                findings.Add(FindingKind.Merge, FindingEffect.Unverified, $"merge: {Describe(tree.Merge.Status)}{Why(tree.Merge.Reason)}");
                break;
        }

        var failed = JudgeBuilds(tree.Builds, [BuildKind.Merged, BuildKind.Focused], "build", required: tree.Build.Status == StageStatus.Pass, findings);
        // The roll-up speaks for builds that left no record (not run, not implemented), or for a failure none of them shows.
        if (tree.Build.Status != StageStatus.Pass && !failed)
            findings.Add(tree.Build.Status == StageStatus.Fail && tree.Build.Errors.Count > 0 ? FindingKind.BuildError : FindingKind.Build,
                tree.Build.Status == StageStatus.Fail && tree.Build.Errors.Count > 0 ? FindingEffect.Problem : FindingEffect.Unverified,
                $"build: {Describe(tree.Build.Status)}{Why(tree.Build.Reason)}{FirstErrors(tree.Build.Errors)}");
        var recorded = tree.Builds.Where(b => b.Kind is BuildKind.Merged or BuildKind.Focused).SelectMany(b => b.NewWarnings).Select(Key).ToHashSet();
        foreach (var warning in tree.Build.NewWarnings.Where(w => !recorded.Contains(Key(w))))
            findings.Warning($"build: new warning: {Cite(warning)}");

        JudgeSelftests(tree.Selftests, findings);
        if (tree.Duplicates.Count > 0)
            findings.Add(FindingKind.Duplicates, FindingEffect.Note,
                $"{Count(tree.Duplicates.Count, "duplicate patch", "duplicate patches")} (same patch-id in the tree as another commit)");
    }

    /// <summary>
    /// The builds of the given kinds must pass; a focused compile may be skipped (not configured, nothing to compile),
    /// which is said. <paramref name="required"/>: the Build stage passed, so a build of the first kind must be there.
    /// A build that failed is a problem; one that could not be judged (not run, cancelled) is unverified.
    /// Returns whether any of them failed.
    /// </summary>
    private static bool JudgeBuilds(IReadOnlyList<BuildRecord> builds, BuildKind[] kinds, string what, bool required, Findings findings)
    {
        var failed = false;
        var judged = builds.Where(b => kinds.Contains(b.Kind)).ToList();
        if (required && judged.All(b => b.Kind != kinds[0]))
            findings.Add(FindingKind.Build, FindingEffect.Unverified, $"{what}: no {WireNames.Of(kinds[0])} build was recorded", f => f with { Build = kinds[0] });
        foreach (var build in judged)
        {
            var name = $"{what} {WireNames.Of(build.Kind)} ({build.Config}, {build.Arch})";
            Finding About(Finding f) => f with { Build = build.Kind, Config = build.Config, Arch = build.Arch };
            if (build.Status == StageStatus.Pass) { }
            else if (build.Kind == BuildKind.Focused && build.Status == StageStatus.Skipped)
                findings.Add(FindingKind.Build, FindingEffect.Note, $"{name}: skipped{Why(build.Reason)}", About);
            else if (build.Status == StageStatus.Fail)
            {
                failed = true;
                findings.Add(FindingKind.BuildError, FindingEffect.Problem, $"{name}: failed{Why(build.Reason)}{FirstErrors(build.Errors)}", About);
                foreach (var culprit in build.Errors.Select(e => e.Culprit?.Text).OfType<string>().Distinct())
                    findings.Add(FindingKind.Culprit, FindingEffect.Problem, $"{name}: {culprit}", About);
            }
            else
            {
                failed = true;
                findings.Add(FindingKind.Build, FindingEffect.Unverified, $"{name}: {Describe(build.Status)}{Why(build.Reason)}", About);
            }
            if (build.NewWarnings.Count > 0)
                findings.Warning($"{name}: {Count(build.NewWarnings.Count, "new warning", "new warnings")}: {string.Join("; ", build.NewWarnings.Take(Listed).Select(Cite))}"
                    + (build.NewWarnings.Count > Listed ? $" and {build.NewWarnings.Count - Listed} more" : ""), About);
        }
        return failed;
    }

    private static void JudgeSelftests(SelftestsReport selftests, Findings findings)
    {
        var tests = selftests.Tests;
        List<SelftestResult> Of(SelftestClass c) => tests.Where(t => t.Classification == c).ToList();
        var regressions = Of(SelftestClass.Regression);
        if (regressions.Count > 0)
            findings.Add(FindingKind.SelftestRegression, FindingEffect.Problem,
                $"selftests: {Count(regressions.Count, "regression", "regressions")} ({(regressions.All(t => t.Baseline == TestStatus.Pass) ? "pass on the baseline, not on the merged kernel" : "do not fail on the baseline, do not pass on the merged kernel")}): {Names(regressions)}", f => f with { Tests = regressions.Select(t => t.Name).ToList() });
        if (selftests.Culprit is { } culprit) findings.Add(FindingKind.Culprit, FindingEffect.Problem, $"selftests: {culprit.Text}");

        var merged = selftests.Runs.FirstOrDefault(r => r.Kind == "merged");
        var baseline = selftests.Runs.FirstOrDefault(r => r.Kind == "baseline");
        switch (selftests.Status)
        {
            case StageStatus.Pass:
                break;
            case StageStatus.Fail when regressions.Count > 0:
                break;
            // A merged kernel that hangs or panics where its baseline boots is the topic's problem, not a gap.
            case StageStatus.Error when merged?.Status == StageStatus.Error && baseline?.Status == StageStatus.Pass:
                findings.Add(FindingKind.Selftests, FindingEffect.Problem, $"selftests: the merged kernel did not finish where the baseline did{Why(merged.Reason)}");
                break;
            case StageStatus.Skipped when selftests.Reason?.StartsWith(HmmTestsNotPresent, StringComparison.Ordinal) == true:
                findings.Add(FindingKind.Selftests, FindingEffect.Note, $"selftests: skipped ({selftests.Reason}); this does not block");
                break;
            default:
                findings.Add(FindingKind.Selftests, FindingEffect.Unverified,
                    selftests.Status == StageStatus.Error ? $"selftests: not verified{Why(selftests.Reason)}" : $"selftests: {Describe(selftests.Status)}{Why(selftests.Reason)}");
                break;
        }

        // The kernel's own oopses on the baseline are the tree's; bisect steps run part of the topic, not what ships.
        var baselineProblems = baseline?.KernelProblems.Select(k => (k.Kind, k.Test)).ToHashSet() ?? [];
        for (var r = 0; r < selftests.Runs.Count; r++)
        {
            var run = selftests.Runs[r];
            if (run.Kind == "baseline") continue;
            for (var i = 0; i < run.KernelProblems.Count; i++)
            {
                var k = run.KernelProblems[i];
                var shipped = run.Kind is "merged" or "confirm";
                var blocks = shipped && !baselineProblems.Contains((k.Kind, k.Test));
                findings.Add(FindingKind.KernelProblem, blocks ? FindingEffect.Problem : FindingEffect.Note,
                    $"selftests: {k.Kind} in the {run.Kind} kernel{(k.Test is null ? "" : $" during {k.Test}")}"
                    + (blocks ? "" : shipped ? " (the baseline has it too)" : $" (a bisect step{(run.Commit is null ? "" : $" at {run.Commit[..Math.Min(12, run.Commit.Length)]}")})"),
                    f => f with { Run = r, Index = i });
            }
        }

        var flaky = Of(SelftestClass.Unstable);
        if (flaky.Count > 0)
            findings.Add(FindingKind.FlakyTests, FindingEffect.Note, $"selftests: {Count(flaky.Count, "flaky test", "flaky tests")} (failed once, passed when run again): {Names(flaky)}", f => f with { Tests = flaky.Select(t => t.Name).ToList() });
        var alreadyFailing = Of(SelftestClass.AlreadyFailing);
        if (alreadyFailing.Count > 0)
            findings.Add(FindingKind.AlreadyFailing, FindingEffect.Note, $"selftests: already failing on the baseline: {Names(alreadyFailing)}", f => f with { Tests = alreadyFailing.Select(t => t.Name).ToList() });
        var fixes = Of(SelftestClass.Fixed);
        if (fixes.Count > 0)
            findings.Add(FindingKind.Fixed, FindingEffect.Note, $"selftests: fixed by the topic (fail on the baseline, pass merged): {Names(fixes)}", f => f with { Tests = fixes.Select(t => t.Name).ToList() });
    }

    private static string Names(IReadOnlyList<SelftestResult> tests) =>
        string.Join(", ", tests.Take(Listed).Select(t => t.Name)) + (tests.Count > Listed ? $" and {tests.Count - Listed} more" : "");

    private static string FirstErrors(IReadOnlyList<BuildDiagnostic> errors) =>
        errors.Count == 0 ? ""
        : ": " + string.Join("; ", errors.Take(Listed).Select(Cite)) + (errors.Count > Listed ? $" and {errors.Count - Listed} more errors" : "");

    /// <summary>A diagnostic as gcc prints it: file:line:col: message [-Wflag].</summary>
    private static string Cite(BuildDiagnostic d) =>
        $"{d.File}:{d.Line}:{(d.Column is { } column ? $"{column}:" : "")} {d.Message}{(d.Flag is null ? "" : $" [{d.Flag}]")}";

    private static (string, int, string, string?) Key(BuildDiagnostic d) => (d.File, d.Line, d.Message, d.Flag);

    private static string Count(int count, string one, string many) => $"{count} {(count == 1 ? one : many)}";

    private static string Why(string? reason) => reason is null ? "" : $" ({reason})";

    private static string Describe(StageStatus status) => status switch
    {
        StageStatus.Fail => "failed",
        StageStatus.NotImplemented => "not implemented",
        StageStatus.NotRun => "not run",
        _ => WireNames.Of(status),
    };

    private static string Describe(MergeStatus status) => status == MergeStatus.NotImplemented ? "not implemented" : WireNames.Of(status);

    /// <summary>One scope's findings as they are added; new warnings are problems or notes by <c>kernel.newWarnings</c>.</summary>
    private sealed class Findings(bool warningsBlock, FindingScope scope, string? tree)
    {
        public List<Finding> List { get; } = [];
        public IEnumerable<string> Reasons => List.Where(f => f.Effect != FindingEffect.Note).Select(f => f.Text);
        public IEnumerable<string> Notes => List.Where(f => f.Effect == FindingEffect.Note).Select(f => f.Text);

        /// <param name="about">Names what the finding is about (its path, build, tests).</param>
        public void Add(FindingKind kind, FindingEffect effect, string text, Func<Finding, Finding>? about = null)
        {
            var finding = new Finding(kind, effect, scope, text) { Tree = tree };
            List.Add(about is null ? finding : about(finding));
        }

        public void Warning(string text, Func<Finding, Finding>? about = null) =>
            Add(FindingKind.NewWarnings, warningsBlock ? FindingEffect.Problem : FindingEffect.Note,
                warningsBlock ? $"{text} (kernel.newWarnings: error)" : text, about);
    }
}
