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
            Assert.True(Elf.IsStatic(hmmTests));
            Assert.Contains("tinyconfig", File.ReadAllText(_kernel.OutputFile(build.Log)));
            Assert.Contains("make -C", build.Reproducer);
        }
        Assert.Equal(merged, tree.Builds[1].Commit);
        Assert.Equal(_kernel.Base, tree.Builds[0].Commit);
        // The fix went into the copy, never into the tree that was built.
        var workTree = Path.Combine(_kernel.Workspace, "kernel", "src", "linux");
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
    public async Task The_next_trees_baseline_recompiles_only_the_files_it_does_not_share_with_the_build_before()
    {
        var rdmaMerged = _kernel.Commit("mm/hmm: change fake_hmm", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var drm = _kernel.Commit("drm: change main", new Dictionary<string, string?> { ["lib/main.c"] = "int fake_main(void) { return 2; }\n" });
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, rdmaMerged), ("drm", drm, drm)));

        var drmBaseline = report.Trees[1].Builds[0];
        Assert.False(drmBaseline.Cached);
        // From rdma's merged tree to drm's head: lib/hmm.c goes back, lib/main.c changes.
        Assert.Equal(["  CC      lib/hmm.o", "  CC      lib/main.o"],
            File.ReadAllLines(_kernel.OutputFile(drmBaseline.Log)).Where(l => l.StartsWith("  CC      lib/")).Order());
        Assert.True(report.Trees[1].Builds[1].Cached);
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
    public async Task An_option_kconfig_dropped_fails_the_build_at_the_fragments_line_with_its_unmet_dependency()
    {
        var drops = _kernel.Commit("kconfig drops TEST_HMM", new Dictionary<string, string?> { ["fake/drop"] = "TEST_HMM\n" });
        var config = _kernel.Config("""
            kernel:
              runtime: host
              configs:
                - name: no-rtm
                  base: tinyconfig
                  fragments: [CONFIG_TRANSPARENT_HUGEPAGE=y, CONFIG_DEVICE_PRIVATE=y, CONFIG_TEST_HMM=y]
            """);
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, drops)), config);

        Assert.Equal(StageStatus.Pass, report.Trees[0].Builds[0].Status);
        var merged = report.Trees[0].Builds[1];
        Assert.Equal(StageStatus.Fail, merged.Status);
        var error = Assert.Single(merged.Errors);
        Assert.Equal((_kernel.Directory.Combine("hmmci.yml"), 11), (error.File, error.Line));
        Assert.Equal("CONFIG_TEST_HMM=y requested, got unset: depends on RUNTIME_TESTING_MENU [=n] && TRANSPARENT_HUGEPAGE [=y] && DEVICE_PRIVATE [=y]", error.Message);
        Assert.Equal($"{error.File}:11: {error.Message}", merged.Reason);
        Assert.Equal(StageStatus.Fail, report.Trees[0].Build.Status);
        Assert.Equal([error], report.Trees[0].Build.Errors);
    }

    [Fact]
    public async Task A_build_that_hits_kernel_timeout_is_an_error_with_the_timeout_not_a_failure_of_the_tree_and_is_not_cached()
    {
        var slow = _kernel.Commit("slow", new Dictionary<string, string?> { ["fake/sleep"] = "30\n" });
        var config = _kernel.Config("kernel: { runtime: host, timeout: 3s }");
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, slow)), config);

        var merged = report.Trees[0].Builds[1];
        Assert.Equal(StageStatus.Error, merged.Status);
        Assert.Equal("timed out after 3s (kernel.timeout) in make", merged.Reason);
        // Nothing was found wrong with the tree: its verdict is incomplete.
        Assert.Equal(StageStatus.Error, report.Trees[0].Build.Status);
        HmmCi.Reports.Readiness.Decide(report);
        Assert.Equal(Verdict.Incomplete, report.Trees[0].Verdict);
        Assert.InRange(merged.DurationMs, 3000, 20000);

        var again = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, slow)), config);
        Assert.True(again.Trees[0].Builds[0].Cached);
        Assert.False(again.Trees[0].Builds[1].Cached);
    }

    [Fact]
    public async Task On_the_host_another_compiler_version_misses_the_result_cache()
    {
        // The same gcc, saying it is another version: what an upgrade of the host's compiler looks like to the key.
        var bin = _kernel.Directory.Combine("newer-gcc");
        Directory.CreateDirectory(bin);
        var gcc = Path.Combine(bin, "gcc");
        File.WriteAllText(gcc, $"#!/bin/sh\n[ \"$1\" = --version ] && {{ echo 'gcc (HmmCi test) 99.1.0'; exit 0; }}\nexec {FindOnPath("gcc")} \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(gcc, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var newer = new Dictionary<string, string?> { ["PATH"] = $"{bin}:{Environment.GetEnvironmentVariable("PATH")}" };
        var tree = FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base));

        var first = await _kernel.BuildAsync(tree, runtime: runner => new HostRuntime(runner));
        var upgraded = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)), runtime: runner => new HostRuntime(runner, newer));
        var again = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)), runtime: runner => new HostRuntime(runner, newer));

        Assert.Equal(StageStatus.Pass, first.Trees[0].Builds[0].Status);
        Assert.False(first.Trees[0].Builds[0].Cached);
        Assert.False(upgraded.Trees[0].Builds[0].Cached);
        Assert.Equal(StageStatus.Pass, upgraded.Trees[0].Builds[0].Status);
        Assert.True(again.Trees[0].Builds[0].Cached);
    }

    [Fact]
    public async Task A_compiler_missing_from_the_build_environment_is_named()
    {
        // make and a shell, but no gcc.
        var bin = _kernel.Directory.Combine("bin");
        Directory.CreateDirectory(bin);
        foreach (var tool in new[] { "make", "sh", "cat", "mkdir", "cp", "mv", "mktemp", "rm", "sleep", "test", "printf", "sed", "ccache" })
            File.CreateSymbolicLink(Path.Combine(bin, tool), FindOnPath(tool));
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)),
            runtime: runner => new HostRuntime(runner, new Dictionary<string, string?> { ["PATH"] = bin }));

        var build = report.Trees[0].Builds[0];
        Assert.Equal(StageStatus.Error, build.Status);
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

    [Fact]
    public async Task A_full_disk_fails_the_build_with_the_cause_and_is_not_cached()
    {
        Assert.True(Environment.UserName == "root", "this test mounts a small tmpfs and needs root");
        var big = _kernel.Commit("big", new Dictionary<string, string?> { ["lib/big.c"] = "char big[1 << 20] = { 1 };\n" });
        var build = Path.Combine(_kernel.Workspace, "kernel", "build");
        Directory.CreateDirectory(build);
        var mount = await ProcessRunner.Default.RunAsync(new ProcessSpec("mount", ["-t", "tmpfs", "-o", "size=256k", "tmpfs", build]));
        Assert.True(mount.Success, mount.Error);
        try
        {
            var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", big, big)));

            var baseline = report.Trees[0].Builds[0];
            Assert.Equal(StageStatus.Error, baseline.Status);
            Assert.StartsWith("disk full: ", baseline.Reason);
            Assert.Contains("No space left on device", baseline.Reason);
            Assert.False(report.Trees[0].Builds[1].Cached);
        }
        finally
        {
            await ProcessRunner.Default.RunAsync(new ProcessSpec("umount", [build]));
        }
    }

    static string FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, tool)).First(File.Exists);
}
