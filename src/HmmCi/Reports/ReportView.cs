using HmmCi.Trees;

namespace HmmCi.Reports;

// The one view of a report that report.md, report.html, report.eml and the check run all render, so they say the
// same things in the same words. Built only from the model as report.json reads back (ReportView.FromJson), never
// from a template's own reading of the JSON. It holds facts and names (the "the hmm tree" / "the merge window so
// far" side names, sha12 citations, build labels, culprit sentences); each rendering only lays them out.

public sealed class ReportView
{
    public required string Topic { get; init; }
    public required bool Ready { get; init; }
    public required string Verdict { get; init; }
    public required string TopicBranch { get; init; }
    public required string TopicHead { get; init; }
    public string? TopicBase { get; init; }
    public string? TopicBaseTag { get; init; }
    public string? TopicError { get; init; }
    public required string MainlineBranch { get; init; }
    public required string MainlineHead { get; init; }
    public string? MainlineError { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    /// <summary>What does not block but should be read (new warnings, flaky tests, ...), as Readiness says it.</summary>
    public required IReadOnlyList<string> Notes { get; init; }
    public required IReadOnlyList<TreeView> Trees { get; init; }
    public WindowView? MergeWindow { get; init; }
    /// <summary>The topic's commits, each with its check findings and the problems that cite it.</summary>
    public required IReadOnlyList<TopicCommitView> Commits { get; init; }
    /// <summary>Findings about the topic as a whole, or about commits that are not the topic's.</summary>
    public required IReadOnlyList<CheckView> TopicFindings { get; init; }
    /// <summary>Whether the Check stage passed, so "all checks passed" can be said.</summary>
    public required bool CheckRan { get; init; }
    public required IReadOnlyList<ProblemView> TopicProblems { get; init; }
    public required IReadOnlyList<BuildView> TopicBuilds { get; init; }
    public required IReadOnlyList<StageView> Stages { get; init; }
    /// <summary>Every problem in report order, each once.</summary>
    public required IReadOnlyList<ProblemView> Problems { get; init; }
    public required string GeneratedAt { get; init; }
    /// <summary>What Publish did, when it ran before this rendering (e.g. the commit-status fallback).</summary>
    public IReadOnlyList<string> PublishNotes { get; init; } = [];
    /// <summary>Nothing was found wrong, yet not everything could be verified: Readiness's incomplete.</summary>
    public required bool Incomplete { get; init; }
    /// <summary>What could not be verified, as Readiness says it.</summary>
    public required IReadOnlyList<string> Unverified { get; init; }

    public static string Sha12(string? sha) => sha is null ? "" : sha[..Math.Min(12, sha.Length)];

    /// <summary>The view of report.json as it reads back, so every rendering shows exactly what the contract holds.</summary>
    public static ReportView FromJson(string json) => From(ReportJson.Deserialize(json));

    /// <summary>The view of a report after a round trip through report.json.</summary>
    public static ReportView Of(MergeReadinessReport report) => FromJson(ReportJson.Serialize(report));

    private static ReportView From(MergeReadinessReport r)
    {
        var ids = new ProblemIds();
        var topicName = r.Topic.Name;
        var treeNames = r.Trees.Select(t => t.Name).ToHashSet();
        var topicShas = r.Topic.Commits.Select(c => c.Sha).ToHashSet();
        var checkRan = r.Stages.Any(s => s.Name == "Check" && s.Status == StageStatus.Pass);
        var trees = r.Trees.Select(t => Tree(ids, t, r.Findings.Where(f => f.Scope == FindingScope.Tree && f.Tree == t.Name).ToList())).ToList();
        WindowView? window = null;
        if (r.MergeWindow.Status != MergeStatus.Skipped)
        {
            var problems = new List<ProblemView>();
            foreach (var f in r.Findings.Where(f => f.Scope == FindingScope.MergeWindow))
            {
                if (f.Kind == FindingKind.MergeWindowConflict && f.Paths.ToHashSet() is var paths)
                    foreach (var c in r.MergeWindow.Conflicts.Where(c => c.Trees.SequenceEqual(f.Trees) && paths.Contains(c.Path)))
                        problems.Add(new ProblemView(ids.Next(), "merge-window-conflict", SeverityOf(f), c.Trees.ElementAtOrDefault(1),
                            $"merge window: conflict in {c.Path} ({c.Kind}) between {c.Trees[0]} and {c.Trees.ElementAtOrDefault(1)}")
                        {
                            Conflict = new ConflictView(c.Path, c.Kind, c.Message, c.Sides.Select(s => Side(s.Tree, s.Commits)).ToList(), c.Excerpt, c.ExcerptTruncated, null),
                            Commits = c.Sides.SelectMany(s => s.Commits).Select(CommitView.Of).ToList(),
                            Locations = [new LocationView(c.Path, 1, "failure", $"merge window: conflict between {c.Trees[0]} and {c.Trees.ElementAtOrDefault(1)}",
                                $"When Linus merges the {c.Trees.ElementAtOrDefault(1)} tree he will get a conflict in {c.Path} ({c.Kind}).")],
                        });
                // A focused compile's lead is linux-next's, as for a tree; the merge window stands where "today's linux-next build" does.
                else if (BuildProblem(ids, f, "merge window", r.MergeWindow.Builds, (build, label, failed) => build.Kind == BuildKind.Focused
                    ? $"After merging the {topicName} tree, the merge window build ({label}) {(failed ? "failed like this:" : "produced these new warnings:")}"
                    : $"The merge window's build ({label}), with mainline, the {topicName} tree and every tree merged, {(failed ? "failed like this:" : "produced these new warnings:")}") is { } build)
                    problems.Add(build);
            }
            window = new WindowView(WireNames.Of(r.MergeWindow.Status), r.MergeWindow.Reason,
                r.MergeWindow.Steps.Select(s => new StepView(s.Tree, Sha12(s.Head), WireNames.Of(s.Status), s.Note)).ToList(), problems,
                r.MergeWindow.Builds.Select(BuildRow).ToList());
        }
        var topicFindings = r.Findings.Where(f => f.Scope == FindingScope.Topic).ToList();
        var topicProblems = topicFindings.Select(f => BuildProblem(ids, f, topicName, r.Topic.Builds, (_, label, failed) =>
            $"The {topicName} tree's build ({label}) on its own base {(failed ? "failed like this:" : "produced these new warnings:")}")).OfType<ProblemView>().ToList();
        var checkProblems = topicFindings.Where(f => f is { Kind: FindingKind.Check, Index: { } i } && i < r.Checks.Count)
            .Select(f => Check(ids, f, r.Checks[f.Index!.Value], r.Topic.Commits)).ToList();
        trees = trees.Select(t => t with { Checks = ChecksCell(t, checkProblems) }).ToList();

        // A tree's duplicate patches are the duplicates check's finding too: list them once.
        var all = trees.SelectMany(t => t.Problems.Where(p => p.Kind != "duplicates")).Concat(window?.Problems ?? []).Concat(topicProblems).Concat(checkProblems).OrderBy(p => ids.Order(p.Id)).ToList();
        var commits = r.Topic.Commits.Select(c => new TopicCommitView(CommitView.Of(c),
            checkProblems.Where(p => p.Check!.Commit?.Sha == c.Sha).Select(p => p.Check!).ToList(),
            all.Where(p => p.Commits.Any(x => x.Sha == c.Sha)).Select(p => p.Id).Distinct().ToList())).ToList();
        return new ReportView
        {
            Topic = topicName,
            Ready = r.Verdict == Reports.Verdict.Ready,
            Incomplete = r.Verdict == Reports.Verdict.Incomplete,
            Unverified = r.Findings.Where(f => f.Effect == FindingEffect.Unverified).Select(Readiness.Said).ToList(),
            Verdict = WireNames.Of(r.Verdict),
            TopicBranch = r.Topic.Branch,
            TopicHead = Sha12(r.Topic.Head),
            TopicBase = r.Topic.Base is null ? null : Sha12(r.Topic.Base),
            TopicBaseTag = r.Topic.BaseTag,
            TopicError = r.Topic.Error,
            MainlineBranch = r.Mainline.Branch,
            MainlineHead = Sha12(r.Mainline.Head),
            MainlineError = r.Mainline.Error,
            Reasons = r.Reasons,
            Notes = r.Notes,
            Trees = trees,
            MergeWindow = window,
            Commits = commits,
            TopicFindings = checkProblems.Select(p => p.Check!).Where(c => c.Commit is null || !topicShas.Contains(c.Commit.Sha)).ToList(),
            CheckRan = checkRan,
            TopicProblems = topicProblems,
            TopicBuilds = r.Topic.Builds.Select(BuildRow).ToList(),
            Stages = r.Stages.Select(s => new StageView(s.Name, WireNames.Of(s.Status), Duration(s.DurationMs), s.Reason)).ToList(),
            Problems = all,
            GeneratedAt = r.GeneratedAt.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            PublishNotes = r.Publish?.Notes ?? [],
        };

        SideView Side(string tree, IEnumerable<CommitRef> sideCommits) => new(tree,
            tree == Merging.MergeWindowSimulation.SoFar ? tree : $"the {tree} tree", sideCommits.Select(CommitView.Of).ToList());

        // The topic's checks hold for every tree; a tree's duplicate patches are its own.
        CellView ChecksCell(TreeView t, List<ProblemView> checks)
        {
            var errors = checks.Count(c => c.IsError);
            var duplicates = t.Problems.FirstOrDefault(p => p.Kind == "duplicates");
            var warnings = checks.Count(c => !c.IsError) + (duplicates is null ? 0 : 1);
            var first = checks.FirstOrDefault(c => c.IsError) ?? checks.FirstOrDefault() ?? duplicates;
            if (!checkRan && errors + warnings == 0) return new CellView("not-run", "not run", null);
            return errors > 0 ? new CellView("fail", $"{errors} error{(errors == 1 ? "" : "s")}", first?.Id)
                : warnings > 0 ? new CellView("warning", $"{warnings} warning{(warnings == 1 ? "" : "s")}", first?.Id)
                : new CellView("pass", "pass", null);
        }

        TreeView Tree(ProblemIds ids, TreeReport t, List<Finding> findings)
        {
            var problems = new List<ProblemView>();
            foreach (var f in findings)
            {
                var severity = SeverityOf(f);
                switch (f.Kind)
                {
                    case FindingKind.Fetch:
                        problems.Add(new ProblemView(ids.Next(), "fetch", severity, t.Name, $"{t.Name}: fetch failed") { Text = t.Error });
                        break;
                    case FindingKind.Merge when t.Merge.Status == MergeStatus.Error:
                        problems.Add(new ProblemView(ids.Next(), "merge", severity, t.Name, $"{t.Name}: merge not attempted") { Text = t.Merge.Reason });
                        break;
                    case FindingKind.Conflict:
                        var paths = f.Paths.ToHashSet();
                        foreach (var c in t.Merge.Conflicts.Where(c => paths.Contains(c.Path)))
                            problems.Add(new ProblemView(ids.Next(), "conflict", severity, t.Name, $"{t.Name}: conflict in {c.Path} ({c.Kind})")
                            {
                                Conflict = new ConflictView(c.Path, c.Kind, c.Message, [Side(topicName, c.TopicCommits), Side(t.Name, c.TreeCommits)], c.Excerpt,
                                    c.ExcerptTruncated, c.Resolution == ResolutionStatus.NoLongerApplies ? c.ResolutionNote ?? "the conflict changed" : null),
                                Commits = c.TopicCommits.Concat(c.TreeCommits).Select(CommitView.Of).ToList(),
                                Locations = [new LocationView(c.Path, 1, "failure", $"{t.Name}: merge conflict ({c.Kind})",
                                    $"Test-merging the {topicName} tree into the {t.Name} tree got a conflict in {c.Path}.")],
                            });
                        break;
                    case FindingKind.BuildError or FindingKind.NewWarnings when f.Build is not null:
                        if (BuildProblem(ids, f, t.Name, t.Builds, (_, label, failed) =>
                            $"After merging the {topicName} tree, the {t.Name} build ({label}) {(failed ? "failed like this:" : "produced these new warnings:")}") is { } build)
                            problems.Add(build);
                        break;
                    case FindingKind.SelftestRegression or FindingKind.FlakyTests or FindingKind.KernelProblem:
                        if (SelftestProblem(ids, f, topicName, t.Name, t.Selftests) is { } selftest) problems.Add(selftest);
                        break;
                    case FindingKind.Duplicates:
                        problems.Add(new ProblemView(ids.Next(), "duplicates", severity, t.Name, $"{t.Name}: duplicate patches")
                        {
                            Duplicates = t.Duplicates.Select(d => new DuplicateView(CommitView.Of(new CommitRef(d.TopicCommit, d.Subject)), Sha12(d.TreeCommit))).ToList(),
                            Commits = t.Duplicates.Select(d => CommitView.Of(new CommitRef(d.TopicCommit, d.Subject))).ToList(),
                        });
                        break;
                    // What blocks without a payload of its own (a roll-up build error, a merged kernel that hangs): said as Readiness said it.
                    case FindingKind.BuildError or FindingKind.Selftests when f.Effect == FindingEffect.Problem:
                        problems.Add(new ProblemView(ids.Next(), "finding", severity, t.Name, $"{t.Name}: {f.Text}"));
                        break;
                }
            }
            var regressionCount = findings.Where(f => f.Kind == FindingKind.SelftestRegression).Sum(f => f.Tests.Count);

            var mergeProblem = problems.FirstOrDefault(p => p.Kind is "fetch" or "merge" or "conflict");
            var buildProblem = problems.FirstOrDefault(p => p.Kind is "build-error" or "new-warnings");
            var testProblem = problems.FirstOrDefault(p => p.Kind is "selftest-regression" or "flaky-tests" or "kernel-problem");
            return new TreeView(t.Name, t.Branch, Sha12(t.Head), t.Error)
            {
                Merge = t.Error is not null ? new CellView("error", "fetch failed", mergeProblem?.Id)
                    : new CellView(WireNames.Of(t.Merge.Status), WireNames.Of(t.Merge.Status) + (t.Merge.Conflicts.Count > 0 && t.Merge.Status == MergeStatus.Conflict ? $" ({t.Merge.Conflicts.Count})" : ""), mergeProblem?.Id),
                Build = new CellView(WireNames.Of(t.Build.Status), WireNames.Of(t.Build.Status) + Count(t.Build.Errors.Count, "error") + Count(t.Build.NewWarnings.Count, "new warning"), buildProblem?.Id),
                Selftests = new CellView(WireNames.Of(t.Selftests.Status), WireNames.Of(t.Selftests.Status) + Count(regressionCount, "regression"), testProblem?.Id),
                Checks = new CellView("not-run", "not run", null),
                Verdict = new CellView(WireNames.Of(t.Verdict), WireNames.Of(t.Verdict), problems.FirstOrDefault()?.Id),
                MergeStatus = WireNames.Of(t.Merge.Status),
                MergeCommit = t.Merge.Commit is null ? null : Sha12(t.Merge.Commit),
                MergeTree = t.Merge.Tree is null ? null : Sha12(t.Merge.Tree),
                MergeReason = t.Merge.Reason,
                Resolution = t.Merge.Resolution,
                ResolvedPaths = t.Merge.Status == MergeStatus.Resolved ? string.Join(", ", t.Merge.Conflicts.Select(c => $"{c.Path} ({c.Kind})")) : null,
                Problems = problems,
                Builds = t.Builds.Select(BuildRow).ToList(),
                SelftestsSummary = t.Selftests.Tests.Count == 0 ? t.Selftests.Reason
                    : $"{t.Selftests.Tests.Count(x => x.Status == TestStatus.Pass)} passed, {t.Selftests.Tests.Count(x => x.Status is TestStatus.Fail or TestStatus.Timeout or TestStatus.Error)} failed, "
                      + $"{t.Selftests.Tests.Count(x => x.Status == TestStatus.Skip)} skipped of {t.Selftests.Tests.Count}{(t.Selftests.Accelerator is { } a ? $" ({a})" : "")}",
            };
        }
    }

    private static string Count(int n, string what) => n == 0 ? "" : $", {n} {what}{(n == 1 ? "" : "s")}";

    public static string BuildLabel(BuildRecord b) => $"{b.Arch} {b.Config}";

    private static BuildView BuildRow(BuildRecord b) => new(BuildLabel(b), WireNames.Of(b.Kind), WireNames.Of(b.Status), Duration(b.DurationMs),
        b.Warnings, b.Errors.Count, b.NewWarnings.Count, b.Log, b.LogTail, b.Reproducer, b.Cached, b.Reason);

    const string Focused = ", focused";

    /// <summary>Readiness's finding about a build's errors or new warnings, with the build it names; null for any other finding.</summary>
    /// <param name="lead">The lead sentence from the build, its label ("x86_64 allmodconfig, focused") and whether it failed.</param>
    private static ProblemView? BuildProblem(ProblemIds ids, Finding f, string where, IEnumerable<BuildRecord> builds, Func<BuildRecord, string, bool, string> lead)
    {
        if (f.Kind is not (FindingKind.BuildError or FindingKind.NewWarnings)
            || builds.FirstOrDefault(b => b.Kind == f.Build && b.Config == f.Config && b.Arch == f.Arch) is not { } b) return null;
        // As linux-next's mails say it: "the rdma build (x86_64 allmodconfig, focused)".
        var label = BuildLabel(b) + (b.Kind == BuildKind.Focused ? Focused : "");
        return f.Kind == FindingKind.BuildError
            ? BuildProblem(ids.Next(), "build-error", SeverityOf(f), where, b, b.Errors, $"{where}: {label} build failed", lead(b, label, true))
            : BuildProblem(ids.Next(), "new-warnings", SeverityOf(f), where, b, b.NewWarnings, $"{where}: {label} build has new warnings", lead(b, label, false));
    }

    /// <summary>A problem's severity as the renderings show it: error blocks, unverified makes the verdict incomplete, warning is said.</summary>
    private static string SeverityOf(Finding f) => f.Effect switch
    {
        FindingEffect.Problem => "error",
        FindingEffect.Unverified => "unverified",
        _ => "warning",
    };

    private static ProblemView BuildProblem(string id, string kind, string severity, string where, BuildRecord b, List<BuildDiagnostic> diagnostics, string heading, string lead)
    {
        var views = diagnostics.Select(Diagnostic).ToList();
        return new ProblemView(id, kind, severity, where, heading)
        {
            Build = new BuildProblemView(lead, BuildLabel(b), WireNames.Of(b.Kind), b.Commit, views,
                diagnostics.Select(d => d.Culprit?.Text).OfType<string>().Distinct().ToList(), b.LogTail, b.Log, b.Reproducer),
            Commits = diagnostics.SelectMany(d => d.Culprit is { } c ? new[] { c.TopicCommit, c.TreeCommit } : []).OfType<CommitRef>().DistinctBy(c => c.Sha).Select(CommitView.Of).ToList(),
            Locations = diagnostics.Where(d => d.Line > 0).Select(d => new LocationView(d.File, d.Line, severity == "error" ? "failure" : "warning",
                $"{where}: {BuildLabel(b)}{(d.Flag is null ? "" : " " + d.Flag)}", d.Message + (d.Culprit is { } c ? "\n" + c.Text : ""))).ToList(),
        };
    }

    /// <summary>The diagnostic as gcc prints it: its context lines, then file:line:col: severity: message [flag].</summary>
    private static DiagnosticView Diagnostic(BuildDiagnostic d)
    {
        var position = d.Line > 0 ? $"{d.File}:{d.Line}:{(d.Column is { } col ? $"{col}:" : "")}" : $"{d.File}:";
        var text = string.Join("\n", d.Context.Append($"{position} {d.Severity}: {d.Message}{(d.Flag is null ? "" : $" [{d.Flag}]")}"));
        return new DiagnosticView(d.File, d.Line, d.Column, d.Severity, d.Flag, d.Message, text, d.Culprit?.Text);
    }

    /// <summary>Readiness's finding about selftests (regressions, flaky tests, a kernel problem) with the tests and runs it names.</summary>
    private static ProblemView? SelftestProblem(ProblemIds ids, Finding f, string topic, string tree, SelftestsReport s)
    {
        var console = s.Runs.FirstOrDefault(r => r.Kind == "merged")?.Console;
        var named = f.Tests.ToHashSet();
        var tests = s.Tests.Where(t => named.Contains(t.Name)).Select(t => Test(t, console)).ToList();
        switch (f.Kind)
        {
            case FindingKind.SelftestRegression:
                var bisect = s.Bisect.Select(b => $"{b.Commit}: {b.Result}").ToList();
                var culpritCommits = s.Culprit is { } c ? new[] { c.TopicCommit, c.TreeCommit }.OfType<CommitRef>().Select(CommitView.Of).ToList() : [];
                var passedBefore = s.Tests.Where(t => named.Contains(t.Name)).All(t => t.Baseline == TestStatus.Pass);
                return new ProblemView(ids.Next(), "selftest-regression", SeverityOf(f), tree, $"{tree}: {tests.Count} selftest regression{(tests.Count == 1 ? "" : "s")}")
                {
                    Selftests = new SelftestProblemView($"After merging the {topic} tree, the {tree} kernel fails {(tests.Count == 1 ? "this selftest, which" : "these selftests, which")} "
                        + $"{(passedBefore ? (tests.Count == 1 ? "passes" : "pass") : (tests.Count == 1 ? "does not fail" : "do not fail"))} on the {tree} tree alone:", tests, s.Culprit?.Text, bisect, s.Accelerator),
                    Commits = culpritCommits,
                };
            case FindingKind.FlakyTests:
                return new ProblemView(ids.Next(), "flaky-tests", SeverityOf(f), tree, $"{tree}: {tests.Count} flaky selftest{(tests.Count == 1 ? "" : "s")}")
                {
                    Selftests = new SelftestProblemView($"With the {topic} tree merged into the {tree} tree, {(tests.Count == 1 ? "this selftest" : "these selftests")} failed once and passed when run again:", tests, null, [], s.Accelerator),
                };
            case FindingKind.KernelProblem when f is { Run: { } r, Index: { } i } && s.Runs.ElementAtOrDefault(r) is { } run && run.KernelProblems.ElementAtOrDefault(i) is { } k:
                return new ProblemView(ids.Next(), "kernel-problem", SeverityOf(f), tree, $"{tree}: {k.Kind} in the {run.Kind} kernel{(k.Test is null ? "" : $" during {k.Test}")}")
                {
                    Text = string.Join("\n", k.Lines),
                    Selftests = new SelftestProblemView($"With the {topic} tree merged, the {tree} kernel ({run.Kind} run) hit a {k.Kind}{(k.Test is null ? "" : $" while running {k.Test}")}:", [], null, [], run.Accelerator),
                };
            default:
                return null;
        }
    }

    private static TestView Test(SelftestResult t, string? console) =>
        new(t.Name, WireNames.Of(t.Status), t.Baseline is { } b ? WireNames.Of(b) : null, t.Diagnostics, console);

    private static ProblemView Check(ProblemIds ids, Finding finding, CheckFinding f, IEnumerable<CommitRef> topicCommits)
    {
        var commit = f.Commit is null ? null : topicCommits.FirstOrDefault(c => c.Sha == f.Commit) is { } known ? CommitView.Of(known) : new CommitView(f.Commit, Sha12(f.Commit), "", Sha12(f.Commit), "c-" + Sha12(f.Commit));
        var severity = SeverityOf(finding);
        return new ProblemView(ids.Next(), "check", severity, null, $"{f.Check}: {f.Message}")
        {
            Check = new CheckView(f.Check, WireNames.Of(f.Severity), commit, f.Message),
            Commits = commit is null ? [] : [commit],
        };
    }

    private static string Duration(long ms) => $"{ms} ms";

    /// <summary>p1, p2, ... in the order problems are found; the report's order is trees, merge window, topic builds, checks.</summary>
    private sealed class ProblemIds
    {
        private int _next;
        public string Next() => $"p{++_next}";
        public int Order(string id) => int.Parse(id[1..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
