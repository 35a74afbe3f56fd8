using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Selftests;

/// <summary>
/// The Selftests stage: for each tree whose merged kernel built, boots it and its baseline (the downstream tree without
/// the topic) with hmm-tests, compares the results, confirms each regression with a second boot (passing then: flaky),
/// bisects confirmed regressions over the topic's commits within the budget, and fills <c>trees[].selftests</c>.
/// Consoles are kept under <c>selftests/&lt;tree&gt;/</c> in the output folder.
/// </summary>
public sealed class SelftestStage
{
    readonly SelftestsConfig _config;
    readonly string _output;
    readonly ISelftestMachine _machine;
    readonly IBisectBuilder? _bisect;
    readonly IStageLog? _log;
    readonly SemaphoreSlim _slots;
    readonly string _busybox;

    /// <summary>Per boot, for the benchmark: HmmCi's own time (initramfs, console handling) against the machine's.</summary>
    public List<(string Boot, TimeSpan Machine, TimeSpan Overhead, TimeSpan? FirstResult)> Timings { get; } = [];

    public SelftestStage(SelftestsConfig config, string output, ISelftestMachine machine, IBisectBuilder? bisect = null,
        IStageLog? log = null, string busybox = Initramfs.BusyboxPath)
    {
        _config = config;
        _output = Path.GetFullPath(output);
        _machine = machine;
        _bisect = bisect;
        _log = log;
        _slots = new SemaphoreSlim(config.Parallel, config.Parallel);
        _busybox = busybox;
    }

    /// <summary>The machine the config asks for.</summary>
    public static ISelftestMachine MachineFor(SelftestsConfig config, IProcessRunner runner, IStageLog? log = null) =>
        config.Runner == SelftestRunnerKind.Command ? new CommandMachine(runner, config.Command!) : new QemuMachine(runner, log);

    /// <summary>What is missing on this machine to boot kernels, as one line naming the package; null when nothing.</summary>
    public string? SetupProblem()
    {
        if (_machine is QemuMachine && !OnPath(QemuMachine.Program))
            return $"{QemuMachine.Program} not found: apt-get install {QemuMachine.Package}";
        if (!File.Exists(_busybox)) return $"{_busybox} not found: apt-get install busybox-static";
        return null;
    }

    public async Task RunAsync(MergeReadinessReport report, CancellationToken cancellation)
    {
        var setup = SetupProblem();
        var trees = report.Trees.Where(t => t.Error is null).ToList();
        if (setup is not null)
        {
            foreach (var tree in trees) tree.Selftests = new SelftestsReport { Status = StageStatus.Error, Reason = $"setup: {setup}" };
            _log?.Error($"selftests: {setup}");
            return;
        }
        await Task.WhenAll(trees.Select(async tree => tree.Selftests = await RunTreeAsync(report, tree, cancellation)));
    }

    async Task<SelftestsReport> RunTreeAsync(MergeReadinessReport report, TreeReport tree, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var merged = tree.Builds.FirstOrDefault(b => b.Kind == BuildKind.Merged && b.Artifacts.Kernel is not null);
        if (merged is null)
        {
            // A merged build the machine failed (an error) was not judged: "build failed" would blame the tree.
            var reason = tree.Builds.Any(b => b.Kind == BuildKind.Merged && b.Status != StageStatus.Error) || tree.Build.Status == StageStatus.Fail ? "build failed"
                : $"not built ({tree.Build.Reason ?? tree.Build.Status.ToString()})";
            return new SelftestsReport { Status = StageStatus.Skipped, Reason = reason };
        }
        if (merged.Artifacts.Selftests.HmmTests is null)
            return new SelftestsReport { Status = StageStatus.Skipped, Reason = Readiness.HmmTestsNotPresent };
        var baselineBuild = tree.Builds.FirstOrDefault(b => b.Kind == BuildKind.Baseline && b.Config == merged.Config
            && b.Artifacts.Kernel is not null && b.Artifacts.Selftests.HmmTests is not null);

        var runs = new List<SelftestRun>();
        var mergedTask = BootAsync(tree.Name, "merged", merged, null, runs, cancellation);
        var baselineTask = baselineBuild is null ? Task.FromResult<SelftestOutcome?>(null)
            : BaselineAsync(baselineBuild);
        async Task<SelftestOutcome?> BaselineAsync(BuildRecord build) => await BootAsync(tree.Name, "baseline", build, null, runs, cancellation);
        var mergedOutcome = await mergedTask;
        var baselineOutcome = await baselineTask;

        var tests = SelftestComparison.Compare(mergedOutcome, baselineOutcome);
        var regressed = tests.Where(t => Readiness.Classify(t) == SelftestClass.Regression).ToList();
        if (regressed.Count > 0)
        {
            var confirmation = await BootAsync(tree.Name, "confirm", merged, null, runs, cancellation);
            tests = SelftestComparison.Confirm(tests, confirmation);
            regressed = tests.Where(t => Readiness.Classify(t) == SelftestClass.Regression).ToList();
        }

        Culprit? culprit = null;
        var steps = new List<BisectStep>();
        string? bisectNote = null;
        if (regressed.Count > 0)
            (culprit, bisectNote) = await BisectAsync(report, tree, regressed.Select(t => t.Name).ToHashSet(), runs, steps, cancellation);

        var (status, summary) = Verdict(tests, mergedOutcome, baselineOutcome, baselineBuild is null, culprit, bisectNote);
        _log?.Info($"selftests: {tree.Name}: {status.ToString().ToLowerInvariant()}: {summary}");
        return new SelftestsReport
        {
            Status = status,
            Reason = summary,
            Accelerator = _machine.Accelerator,
            DurationMs = clock.ElapsedMilliseconds,
            Tests = tests,
            Runs = runs,
            Culprit = culprit,
            Bisect = steps,
            HarnessFixes = merged.Artifacts.Selftests.HarnessFixes.ToList(),
        };
    }

    async Task<(Culprit?, string?)> BisectAsync(MergeReadinessReport report, TreeReport tree, IReadOnlySet<string> regressed,
        List<SelftestRun> runs, List<BisectStep> steps, CancellationToken cancellation)
    {
        var commits = report.Topic.Commits;
        if (commits.Count == 1) return (CulpritFor(report, tree, commits[0], regressed), null);
        if (_config.BisectBudget == TimeSpan.Zero) return (null, "bisect off (selftests.bisectBudget: 0)");
        if (_bisect is null) return (null, "no bisect builder");
        // The whole topic merged is the merged kernel (bad); each step builds a prefix of the topic merged into the tree.
        var outcome = await SelftestBisect.RunAsync(commits, _config.BisectBudget, async (commit, token) =>
        {
            var build = await _bisect.BuildAsync(tree.Name, commit, token);
            if (build.Status != StageStatus.Pass || build.Artifacts.Kernel is null || build.Artifacts.Selftests.HmmTests is null)
                return (null, $"build {build.Status.ToString().ToLowerInvariant()}{(build.Reason is null ? "" : ": " + build.Reason)}");
            var boot = await BootAsync(tree.Name, "bisect", build, regressed, runs, token, commit.Sha);
            var results = boot.Tests.Where(t => regressed.Contains(t.Name)).ToList();
            if (results.Count < regressed.Count || results.Any(t => t.Status == TestStatus.Missing))
                return (null, $"the regressed tests did not all report ({boot.Reason})");
            var failing = results.Where(t => t.Status != TestStatus.Pass).ToList();
            return failing.Count > 0 ? (true, $"bad: {failing.Count} of {results.Count} regressed tests fail") : (false, "good: the regressed tests pass");
        }, cancellation);
        steps.AddRange(outcome.Steps);
        return outcome.Culprit is { } found ? (CulpritFor(report, tree, found, regressed), null) : (null, outcome.Note);
    }

    static Culprit CulpritFor(MergeReadinessReport report, TreeReport tree, CommitRef commit, IReadOnlySet<string> regressed) =>
        new(commit, null, tree.Name,
            $"Caused by commit {commit} from the {report.Topic.Name} tree: {regressed.Count} hmm-tests that pass on the {tree.Name} tree fail with it merged ({regressed.Order(StringComparer.Ordinal).First()}{(regressed.Count > 1 ? ", ..." : "")}).");

    static (StageStatus, string) Verdict(List<SelftestResult> tests, SelftestOutcome merged, SelftestOutcome? baseline, bool noBaseline,
        Culprit? culprit, string? bisectNote)
    {
        var regressions = tests.Where(t => Readiness.Classify(t) == SelftestClass.Regression).Select(t => t.Name).ToList();
        var already = tests.Where(t => Readiness.Classify(t) == SelftestClass.AlreadyFailing).Select(t => t.Name).ToList();
        var fixes = tests.Where(t => Readiness.Classify(t) == SelftestClass.Fixed).Select(t => t.Name).ToList();
        var flaky = tests.Where(t => t.Flaky).Select(t => t.Name).ToList();
        var parts = new List<string>
        {
            $"merged: pass:{merged.Count(TestStatus.Pass)} fail:{merged.Count(TestStatus.Fail, TestStatus.Timeout, TestStatus.Error)} skip:{merged.Count(TestStatus.Skip)}"
            + (baseline is null ? "" : $"; baseline: pass:{baseline.Count(TestStatus.Pass)} fail:{baseline.Count(TestStatus.Fail, TestStatus.Timeout, TestStatus.Error)} skip:{baseline.Count(TestStatus.Skip)}"),
        };
        if (regressions.Count > 0) parts.Add($"{regressions.Count} regressions: {Names(regressions)}");
        if (culprit is not null) parts.Add(culprit.Text.TrimEnd('.'));
        else if (bisectNote is not null) parts.Add($"culprit not found: {bisectNote}");
        if (flaky.Count > 0) parts.Add($"flaky (failed once, passed when run again): {Names(flaky)}");
        if (already.Count > 0) parts.Add($"already failing on the baseline: {Names(already)}");
        if (fixes.Count > 0) parts.Add($"fixed: {Names(fixes)}");
        var reason = string.Join("; ", parts);
        if (regressions.Count > 0)
            return (StageStatus.Fail, merged.Status == StageStatus.Error ? $"{reason}; the merged run did not finish: {merged.Reason}" : reason);
        if (merged.Status == StageStatus.Error) return (StageStatus.Error, $"merged kernel not verified: {merged.Reason}; {reason}");
        if (noBaseline) return (StageStatus.Error, $"no baseline kernel to compare with; {reason}");
        if (baseline!.Status == StageStatus.Error) return (StageStatus.Error, $"baseline not verified: {baseline.Reason}; {reason}");
        return (StageStatus.Pass, reason);
    }

    static string Names(IReadOnlyList<string> names) =>
        names.Count <= 8 ? string.Join(", ", names) : string.Join(", ", names.Take(8)) + $" and {names.Count - 8} more";

    async Task<SelftestOutcome> BootAsync(string tree, string kind, BuildRecord build, IReadOnlySet<string>? stopAfter,
        List<SelftestRun> runs, CancellationToken cancellation, string? commit = null)
    {
        var label = commit is null ? kind : $"{kind}-{commit[..Math.Min(12, commit.Length)]}";
        var folder = Path.Combine(_output, "selftests", tree);
        var kernel = Path.Combine(_output, build.Artifacts.Kernel!);
        var hmmTests = Path.Combine(_output, build.Artifacts.Selftests.HmmTests!);
        await _slots.WaitAsync(cancellation);
        try
        {
            var setup = Stopwatch.StartNew();
            var initramfs = Path.Combine(folder, $"{label}.initramfs.cpio");
            Initramfs.Write(initramfs, hmmTests, _busybox);
            setup.Stop();
            var console = Path.Combine(folder, $"{label}.console.log");
            var boot = new SelftestBoot(tree, kind, kernel, hmmTests, initramfs) { Commit = commit ?? build.Commit };
            await _machine.PrepareAsync(boot, cancellation);
            _log?.Info($"selftests: {tree} {label}: booting ({_machine.Accelerator})");
            var outcome = await new SelftestSession(_machine, _config.TestTimeout, _config.RunTimeout).RunAsync(boot, console, stopAfter, cancellation);
            var bookkeeping = Stopwatch.StartNew();
            lock (runs)
                runs.Add(new SelftestRun
                {
                    Kind = kind,
                    Commit = commit ?? build.Commit,
                    Status = outcome.Status,
                    Reason = outcome.Reason,
                    Accelerator = _machine.Accelerator,
                    DurationMs = (long)outcome.Duration.TotalMilliseconds,
                    Console = Path.GetRelativePath(_output, console),
                    Passed = outcome.Count(TestStatus.Pass),
                    Failed = outcome.Count(TestStatus.Fail, TestStatus.Timeout, TestStatus.Error),
                    Skipped = outcome.Count(TestStatus.Skip),
                    KernelProblems = outcome.Problems.ToList(),
                });
            bookkeeping.Stop();
            lock (Timings) Timings.Add(($"{tree} {label}", outcome.Duration - outcome.Overhead, setup.Elapsed + outcome.Overhead + bookkeeping.Elapsed, outcome.FirstResult));
            _log?.Info($"selftests: {tree} {label}: {outcome.Status.ToString().ToLowerInvariant()} pass:{outcome.Count(TestStatus.Pass)} fail:{outcome.Count(TestStatus.Fail, TestStatus.Timeout, TestStatus.Error)} skip:{outcome.Count(TestStatus.Skip)} in {outcome.Duration.TotalSeconds:0.0} s{(outcome.Reason is null ? "" : $" ({outcome.Reason})")}");
            return outcome;
        }
        finally
        {
            _slots.Release();
        }
    }

    static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, program)));
}
