using HmmCi.Config;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Selftests;
using HmmCi.Tests.Fixtures;
using HmmCi.Trees;

namespace HmmCi.Tests.Selftests;

/// <summary>
/// The stage's comparison, confirmation, bisect and skips, with <c>runner: command</c> replaying the real QEMU consoles
/// captured from v6.1 and from the sample's T5 (a lab that prints the console next to each kernel image).
/// </summary>
public class SelftestStageTests
{
    const string Replay = "cat \"$(dirname \"$HMMCI_KERNEL\")/console.log\"";

    static readonly List<CommitRef> Topic = SelftestFixtures.Topic.ToList();

    sealed class Scenario : IDisposable
    {
        readonly TempDirectory _temp = new();
        public string Output => _temp.Path;
        public MergeReadinessReport Report { get; }
        public TreeReport Tree { get; }

        public Scenario() => (Report, Tree) = SelftestFixtures.Report();

        /// <summary>A build whose "kernel" folder holds the console the command replays.</summary>
        public BuildRecord Build(BuildKind kind, string name, IEnumerable<string> console, bool hmmTests = true) =>
            SelftestFixtures.Build(Output, kind, name, folder =>
            {
                File.WriteAllText(Path.Combine(folder, "bzImage"), "replayed");
                File.WriteAllLines(Path.Combine(folder, "console.log"), console);
                if (hmmTests) File.WriteAllText(Path.Combine(folder, "hmm-tests"), "replayed");
            }, hmmTests);

        public async Task<SelftestsReport> RunAsync(string command = Replay, IBisectBuilder? bisect = null, SelftestsConfig? config = null)
        {
            config ??= SelftestsConfig.Default with { Runner = SelftestRunnerKind.Command, Command = command };
            var stage = new SelftestStage(config, Output, SelftestStage.MachineFor(config, ProcessRunner.Default), bisect);
            await stage.RunAsync(Report, CancellationToken.None);
            return Tree.Selftests;
        }

        public void Dispose() => _temp.Dispose();
    }

    static string[] V61 => File.ReadAllLines(KtapParserTests.DataFile("qemu-tcg-v6.1.console.log"));
    static string[] T5 => File.ReadAllLines(KtapParserTests.DataFile("qemu-tcg-v6.1-t5.console.log"));

    /// <summary>What fails on the T5 console and passes on v6.1's (the sample's README: anon_read and 13 other mirror reads).</summary>
    static readonly string[] MirrorReads =
    [
        "hmm.hmm_device_private.anon_read", "hmm.hmm_device_private.anon_write_prot", "hmm.hmm_device_private.file_read",
        "hmm.hmm_device_private.migrate", "hmm.hmm_device_private.migrate_file_private", "hmm.hmm_device_private.migrate_fault",
        "hmm.hmm_device_private.migrate_release", "hmm.hmm_device_private.migrate_multiple", "hmm.hmm_device_private.anon_read_multiple",
        "hmm.hmm_device_private.anon_teardown", "hmm.hmm_device_private.hmm_cow_in_device",
        "hmm2.hmm2_device_private.migrate_mixed", "hmm2.hmm2_device_private.snapshot", "hmm2.hmm2_device_private.double_map",
    ];

    [Fact]
    public async Task The_T5_regression_is_confirmed_v61s_own_failures_are_already_failing_and_the_bisect_names_T5()
    {
        using var scenario = new Scenario();
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Baseline, "baseline", V61));
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Merged, "merged", T5));
        var good = scenario.Build(BuildKind.Merged, "good", V61);
        var bad = scenario.Build(BuildKind.Merged, "bad", T5);
        var builder = new SelftestFixtures.ServedBuilds(c => Topic.IndexOf(c) >= 4 ? bad : good);

        var selftests = await scenario.RunAsync(bisect: builder);

        Assert.Equal(StageStatus.Fail, selftests.Status);
        Assert.Equal("command", selftests.Accelerator);
        var regressions = selftests.Tests.Where(t => Readiness.Classify(t) == SelftestClass.Regression).Select(t => t.Name).ToList();
        Assert.Equal(MirrorReads, regressions);
        Assert.Equal(["hmm.hmm_device_private.anon_write_huge", "hmm.hmm_device_private.exclusive",
            "hmm.hmm_device_private.exclusive_mprotect", "hmm.hmm_device_private.exclusive_cow"],
            selftests.Tests.Where(t => Readiness.Classify(t) == SelftestClass.AlreadyFailing).Select(t => t.Name));
        var anonRead = selftests.Tests.Single(t => t.Name == "hmm.hmm_device_private.anon_read");
        Assert.Equal((TestStatus.Fail, TestStatus.Pass, false), (anonRead.Status, anonRead.Baseline, anonRead.Flaky));
        Assert.Contains(anonRead.Diagnostics, d => d.EndsWith("Expected buffer->cpages (1023) == npages (1024)"));
        Assert.Equal(TestStatus.Pass, selftests.Tests.Single(t => t.Name == "hmm.hmm_device_private.anon_write").Status);

        Assert.Equal(Topic[4], selftests.Culprit!.TopicCommit);
        Assert.Null(selftests.Culprit.TreeCommit);
        Assert.StartsWith("Caused by commit 555555555555 (\"lib/test_hmm: use PFN helpers in the bounce buffer copy loops\") from the hmm tree", selftests.Culprit.Text);
        Assert.Equal(["rdma 333333333333", "rdma 444444444444", "rdma 555555555555"], builder.Built);
        Assert.Equal(["good: the regressed tests pass", "good: the regressed tests pass", "bad: 14 of 14 regressed tests fail"],
            selftests.Bisect.Select(s => s.Result));
        Assert.Equal(["baseline", "bisect", "bisect", "bisect", "confirm", "merged"], selftests.Runs.Select(r => r.Kind).Order());
        Assert.All(selftests.Runs, r => Assert.True(File.Exists(Path.Combine(scenario.Output, r.Console!)), r.Console));
        Assert.Equal(["kselftest-harness-trigger"], selftests.HarnessFixes);
        Assert.Contains("14 regressions: hmm.hmm_device_private.anon_read,", selftests.Reason);
        Assert.Contains("already failing on the baseline: hmm.hmm_device_private.anon_write_huge,", selftests.Reason);
    }

    [Fact]
    public async Task A_regression_that_passes_when_run_again_is_flaky_and_does_not_fail_the_tree()
    {
        using var scenario = new Scenario();
        var baseline = scenario.Build(BuildKind.Baseline, "baseline", V61);
        scenario.Tree.Builds.Add(baseline);
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Merged, "merged", T5));
        // The second boot of the merged kernel passes what failed the first time.
        var selftests = await scenario.RunAsync(
            $"if [ \"$HMMCI_KIND\" = confirm ]; then cat '{scenario.Output}/builds/baseline/console.log'; else {Replay}; fi");

        Assert.Equal(StageStatus.Pass, selftests.Status);
        Assert.Equal(MirrorReads.Order(), selftests.Tests.Where(t => t.Flaky).Select(t => t.Name).Order());
        Assert.DoesNotContain(selftests.Tests, t => Readiness.Classify(t) == SelftestClass.Regression);
        Assert.Null(selftests.Culprit);
        Assert.Empty(selftests.Bisect);
        Assert.Contains("flaky (failed once, passed when run again): hmm.hmm_device_private.anon_read,", selftests.Reason);
    }

    [Fact]
    public async Task Tests_that_never_ran_are_missing_named_from_the_baseline_never_regressions_and_the_tree_is_not_verified()
    {
        using var scenario = new Scenario();
        var cut = Array.FindIndex(T5, l => l.StartsWith("#  RUN           hmm.hmm_device_private.anon_read ...", StringComparison.Ordinal));
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Baseline, "baseline", V61));
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Merged, "merged", T5.Take(cut + 1)));
        var selftests = await scenario.RunAsync();

        Assert.Equal(StageStatus.Error, selftests.Status);
        Assert.StartsWith("merged kernel not verified: 57 of 58 tests never reported: the console stopped; last console lines:", selftests.Reason);
        var missing = selftests.Tests.Where(t => t.Status == TestStatus.Missing).ToList();
        Assert.Equal(57, missing.Count);
        Assert.Equal("hmm.hmm_device_private.anon_read", missing[0].Name);
        Assert.Equal("hmm.hmm_device_private.anon_read_prot", missing[1].Name);
        Assert.All(missing, t => Assert.NotNull(t.Baseline));
        Assert.DoesNotContain(selftests.Tests, t => Readiness.Classify(t) == SelftestClass.Regression);
        Assert.Equal(["baseline", "merged"], selftests.Runs.Select(r => r.Kind).Order());
    }

    [Fact]
    public async Task No_kernel_image_is_skipped_as_build_failed_and_no_hmm_tests_as_not_present()
    {
        using var scenario = new Scenario();
        scenario.Tree.Builds.Add(new BuildRecord { Kind = BuildKind.Merged, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Fail });
        var noKernel = await scenario.RunAsync();
        Assert.Equal((StageStatus.Skipped, "build failed"), (noKernel.Status, noKernel.Reason));

        // A build the machine failed says so, not that the tree does not build.
        scenario.Tree.Builds.Clear();
        scenario.Tree.Builds.Add(new BuildRecord { Kind = BuildKind.Merged, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Error, Reason = "disk full: x" });
        scenario.Tree.Build = new BuildReport { Status = StageStatus.Error, Reason = "the merged tree was not verified: tinyconfig+hmm-selftests: disk full: x" };
        var notJudged = await scenario.RunAsync();
        Assert.Equal((StageStatus.Skipped, "not built (the merged tree was not verified: tinyconfig+hmm-selftests: disk full: x)"), (notJudged.Status, notJudged.Reason));

        scenario.Tree.Builds.Clear();
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Merged, "old-tree", V61, hmmTests: false));
        var noTests = await scenario.RunAsync();
        Assert.Equal((StageStatus.Skipped, "hmm-tests not present"), (noTests.Status, noTests.Reason));
        Assert.Empty(noTests.Runs);
    }

    [Fact]
    public async Task Without_busybox_the_setup_error_names_the_package()
    {
        using var scenario = new Scenario();
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Merged, "merged", T5));
        var config = SelftestsConfig.Default;
        var stage = new SelftestStage(config, scenario.Output, new QemuMachine(ProcessRunner.Default), busybox: "/nonexistent/busybox");
        await stage.RunAsync(scenario.Report, CancellationToken.None);
        Assert.Equal(StageStatus.Error, scenario.Tree.Selftests.Status);
        Assert.Equal("setup: /nonexistent/busybox not found: apt-get install busybox-static", scenario.Tree.Selftests.Reason);
    }

    [Fact]
    public async Task A_kernel_that_panics_at_boot_reports_the_panic_line()
    {
        using var scenario = new Scenario();
        // The kernel's own console of a panic before init (tools/testing/kunit/test_data, from the tarball).
        var panicLog = File.ReadAllLines(Path.Combine(await RealKernel.KunitDirectoryAsync(), "test_data", "test_kernel_panic_interrupt.log"));
        var config = SelftestsConfig.Default with { Runner = SelftestRunnerKind.Qemu };
        // QEMU prints the console and exits when panic=-1 reboots: replayed here by a command that marks nothing.
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Baseline, "baseline", V61));
        scenario.Tree.Builds.Add(scenario.Build(BuildKind.Merged, "merged", panicLog.Where(l => !l.Contains("TAP") && !l.Contains("ok ") && !l.Contains("1.."))));
        var stage = new SelftestStage(config, scenario.Output, new SelftestFixtures.Booting(Replay), null);
        await stage.RunAsync(scenario.Report, CancellationToken.None);
        var merged = scenario.Tree.Selftests.Runs.Single(r => r.Kind == "merged");
        Assert.Equal(StageStatus.Error, merged.Status);
        Assert.Equal("the kernel panicked before hmm-tests started: Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(98,0)", merged.Reason);
        Assert.Equal("panic", Assert.Single(merged.KernelProblems).Kind);
        Assert.Equal(StageStatus.Error, scenario.Tree.Selftests.Status);
    }
}
