using HmmCi.Kernel;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;
using HmmCi.Reports;

namespace HmmCi.Tests.Kernel;

/// <summary>The Build stage over the fake kernel tree with the host runtime: real git, make and gcc.</summary>
public sealed class KernelBuildStageTests : IDisposable
{
    readonly FakeKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    [Fact]
    public async Task Baseline_and_merged_build_with_bzImage_headers_and_a_static_hmm_tests_built_with_the_harness_fix()
    {
        var merged = _kernel.Commit("mm/hmm: change fake_hmm", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, merged)));

        var tree = report.Trees.Single();
        Assert.Equal(StageStatus.Pass, tree.Build.Status);
        Assert.Equal([BuildKind.Baseline, BuildKind.Merged], tree.Builds.Select(b => b.Kind));
        foreach (var build in tree.Builds)
        {
            Assert.Equal(StageStatus.Pass, build.Status);
            Assert.Equal("host", build.Runtime);
            Assert.Equal("tinyconfig+hmm-selftests", build.Config);
            Assert.False(build.Cached);
            Assert.True(File.Exists(_kernel.OutputFile(build.Artifacts.Kernel)));
            Assert.True(File.Exists(Path.Combine(_kernel.OutputFile(build.Artifacts.Headers), "include/linux/fake_hmm.h")));
            Assert.Equal([SelftestSources.TriggerFix], build.Artifacts.Selftests.HarnessFixes);
            var hmmTests = _kernel.OutputFile(build.Artifacts.Selftests.HmmTests);
            var run = await ProcessRunner.Default.RunAsync(new ProcessSpec(hmmTests, []));
            Assert.Contains("ok 1 hmm.fake pages", run.Output);
            var file = await ProcessRunner.Default.RunAsync(new ProcessSpec("file", [hmmTests]));
            Assert.Contains("statically linked", file.Output);
            Assert.Contains("tinyconfig", File.ReadAllText(_kernel.OutputFile(build.Log)));
            Assert.Contains("make -C", build.Reproducer);
        }
        Assert.Equal(merged, tree.Builds[1].Commit);
        Assert.Equal(_kernel.Base, tree.Builds[0].Commit);
        // The fix went into the copy, never into the tree that was built.
        var workTree = Path.Combine(_kernel.Workspace, "kernel", "src", "rdma");
        Assert.True(SelftestSources.HasTriggerBug(File.ReadAllText(Path.Combine(workTree, "tools/testing/selftests/kselftest_harness.h"))));
    }

    [Fact]
    public async Task The_merged_build_after_its_baseline_recompiles_only_what_the_merge_changed()
    {
        var merged = _kernel.Commit("mm/hmm: change fake_hmm", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, merged)));

        string[] Compiled(BuildRecord build) => File.ReadAllLines(_kernel.OutputFile(build.Log)).Where(l => l.StartsWith("  CC      lib/")).ToArray();
        Assert.Equal(["  CC      lib/main.o", "  CC      lib/hmm.o"], Compiled(report.Trees[0].Builds[0]).Order().Reverse());
        Assert.Equal(["  CC      lib/hmm.o"], Compiled(report.Trees[0].Builds[1]));
    }

    [Fact]
    public async Task A_tree_whose_merge_conflicts_is_skipped_with_the_reason_and_the_others_build()
    {
        var report = await _kernel.BuildAsync(FakeKernel.Report(("drm", _kernel.Base, null), ("rdma", _kernel.Base, _kernel.Base)));

        Assert.Equal(StageStatus.Skipped, report.Trees[0].Build.Status);
        Assert.Equal("the test merge is conflict (conflict in lib/hmm.c): nothing to build", report.Trees[0].Build.Reason);
        Assert.Empty(report.Trees[0].Builds);
        Assert.Equal(StageStatus.Pass, report.Trees[1].Build.Status);
    }

    [Fact]
    public async Task A_merged_tree_that_does_not_compile_fails_with_the_log_tail_while_its_baseline_and_other_trees_build()
    {
        var broken = _kernel.Commit("mm/hmm: rename", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return hmm_pfn_to_map_order(x); }\n" });
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, broken), ("drm", _kernel.Base, _kernel.Base)));

        var rdma = report.Trees[0];
        Assert.Equal(StageStatus.Fail, rdma.Build.Status);
        Assert.StartsWith("the merged tree does not build: tinyconfig+hmm-selftests: make failed: ", rdma.Build.Reason);
        Assert.EndsWith("(the baseline builds)", rdma.Build.Reason);
        Assert.Equal(StageStatus.Pass, rdma.Builds[0].Status);
        var merged = rdma.Builds[1];
        Assert.Equal(StageStatus.Fail, merged.Status);
        Assert.Contains("hmm_pfn_to_map_order", merged.LogTail);
        Assert.Null(merged.Artifacts.Kernel);
        Assert.Equal(StageStatus.Pass, report.Trees[1].Build.Status);
    }

    [Fact]
    public async Task Make_olddefconfig_failing_is_that_trees_build_failure_in_the_words_of_the_step()
    {
        var bad = _kernel.Commit("kconfig: break", new Dictionary<string, string?> { ["fake/fail-olddefconfig"] = "lib/Kconfig:12: syntax error\n" });
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, bad)));

        var merged = report.Trees[0].Builds[1];
        Assert.Equal(StageStatus.Fail, merged.Status);
        Assert.Equal("make olddefconfig failed: lib/Kconfig:12: syntax error", merged.Reason);
    }

    [Fact]
    public async Task A_build_that_hits_kernel_timeout_fails_with_the_timeout_and_is_not_cached()
    {
        var slow = _kernel.Commit("slow", new Dictionary<string, string?> { ["fake/sleep"] = "30\n" });
        var config = _kernel.Config("kernel: { runtime: host, timeout: 3s }");
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, slow)), config);

        var merged = report.Trees[0].Builds[1];
        Assert.Equal(StageStatus.Fail, merged.Status);
        Assert.Equal("timed out after 3s (kernel.timeout) in make", merged.Reason);
        Assert.InRange(merged.DurationMs, 3000, 20000);

        var again = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, slow)), config);
        Assert.True(again.Trees[0].Builds[0].Cached);
        Assert.False(again.Trees[0].Builds[1].Cached);
    }

    [Fact]
    public async Task A_compiler_missing_from_the_build_environment_is_named()
    {
        // make and a shell, but no gcc.
        var bin = _kernel.Directory.Combine("bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "make", "sh", "cat", "mkdir", "cp", "mv", "mktemp", "rm", "sleep", "test", "printf", "ccache" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), FindOnPath(tool));
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)),
            runtime: runner => new HostRuntime(runner, new Dictionary<string, string?> { ["PATH"] = bin }));

        var build = report.Trees[0].Builds[0];
        Assert.Equal(StageStatus.Fail, build.Status);
        Assert.Matches("^gcc is missing from the build environment: .*gcc.*", build.Reason);
    }

    [Fact]
    public async Task A_tree_without_hmm_tests_builds_and_says_hmm_tests_is_not_present()
    {
        var old = _kernel.Commit("no selftest", new Dictionary<string, string?> { ["tools/testing/selftests/mm/hmm-tests.c"] = null });
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", old, old)));

        var build = report.Trees[0].Builds[0];
        Assert.Equal(StageStatus.Pass, build.Status);
        Assert.NotNull(build.Artifacts.Kernel);
        Assert.Null(build.Artifacts.Selftests.HmmTests);
        Assert.Equal("hmm-tests not present (no tools/testing/selftests/mm/hmm-tests.c or vm/hmm-tests.c in the tree)", build.Reason);
        Assert.Equal(StageStatus.Pass, report.Trees[0].Build.Status);
    }

    [Fact]
    public async Task The_topic_builds_on_its_base_and_the_merge_window_against_the_mainline_head()
    {
        var topic = _kernel.Commit("topic", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 3; }\n" });
        var window = _kernel.Commit("window", new Dictionary<string, string?> { ["lib/main.c"] = "int fake_main(void) { return 1; }\n" }, topic);
        var report = FakeKernel.Report();
        report.Topic.Head = topic;
        report.Topic.Base = _kernel.Base;
        report.Mainline.Head = _kernel.Base;
        report.MergeWindow = new MergeWindowReport { Status = MergeStatus.Clean, Commit = window };
        await _kernel.BuildAsync(report);

        Assert.Equal([(BuildKind.Baseline, _kernel.Base), (BuildKind.Topic, topic)], report.Topic.Builds.Select(b => (b.Kind, b.Commit!)));
        Assert.Equal([(BuildKind.Baseline, _kernel.Base), (BuildKind.MergeWindow, window)], report.MergeWindow.Builds.Select(b => (b.Kind, b.Commit!)));
        Assert.All(report.Topic.Builds.Concat(report.MergeWindow.Builds), b => Assert.Equal(StageStatus.Pass, b.Status));
        // The baselines are the same tree: the second is the first's result.
        Assert.True(report.MergeWindow.Builds[0].Cached);
    }

    [Fact]
    public async Task Progress_says_each_builds_elapsed_time_and_objects_compiled()
    {
        var slow = _kernel.Commit("slow", new Dictionary<string, string?> { ["fake/sleep"] = "1\n" });
        await _kernel.BuildAsync(FakeKernel.Report(("rdma", slow, slow)));

        Assert.Contains(_kernel.Lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^rdma baseline \(tinyconfig\+hmm-selftests\) \w{12}: \d+s, 2 objects compiled \(make\)$"));
        Assert.Contains(_kernel.Lines, l => l.StartsWith("rdma baseline (tinyconfig+hmm-selftests)") && l.Contains(": pass in "));
    }

    static string FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).First(File.Exists);
}
