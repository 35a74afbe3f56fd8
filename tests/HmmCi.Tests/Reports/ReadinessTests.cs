using HmmCi.Config;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Tests.Reports;

public class ReadinessTests
{
    static readonly CommitRef T3 = new("3333333333333333333333333333333333333333", "mm/hmm: remove hmm_pfn_to_map_order()");
    static readonly CommitRef Odp = new("5555555555555555555555555555555555555555", "RDMA/odp: map huge pages by their order");
    const string Config = "tinyconfig+hmm-selftests";

    static BuildRecord Build(BuildKind kind, StageStatus status = StageStatus.Pass) =>
        new() { Kind = kind, Config = Config, Runtime = "podman", Status = status };

    static BuildDiagnostic Warning(string file, int line, string message, string flag) =>
        new(file, line, message) { Severity = "warning", Flag = flag };

    static SelftestResult Test(string name, TestStatus merged, TestStatus? baseline, bool flaky = false) =>
        new($"hmm.hmm_device_private.{name}", merged, baseline) { Flaky = flaky };

    /// <summary>Everything ran and passed: one tree, its merged and baseline builds, the topic and merge-window builds.</summary>
    internal static MergeReadinessReport Verified()
    {
        var report = new MergeReadinessReport
        {
            Topic = new TopicReport { Name = "hmm", Url = "u", Branch = "hmm", Head = T3.Sha },
            Mainline = new MainlineReport { Url = "m", Branch = "master" },
            MergeWindow = new MergeWindowReport { Status = MergeStatus.Clean, Tree = "w", Commit = "c", Builds = [Build(BuildKind.Baseline), Build(BuildKind.MergeWindow)] },
        };
        report.Stages.AddRange(Readiness.VerifyingStages.Select(s => new StageReport(s, StageStatus.Pass, 1, null)));
        report.Topic.Builds.AddRange([Build(BuildKind.Baseline), Build(BuildKind.Topic)]);
        var tree = new TreeReport
        {
            Name = "rdma", Url = "r", Branch = "for-next", Head = Odp.Sha,
            Merge = new MergeReport { Status = MergeStatus.Clean, Tree = "t", Commit = "c" },
            Build = new BuildReport { Status = StageStatus.Pass },
            Selftests = new SelftestsReport { Status = StageStatus.Pass, Tests = [Test("anon_read", TestStatus.Pass, TestStatus.Pass)] },
        };
        tree.Builds.AddRange([Build(BuildKind.Baseline), Build(BuildKind.Merged)]);
        report.Trees.Add(tree);
        return report;
    }

    static TreeReport Tree(MergeReadinessReport report) => report.Trees[0];

    static void Decide(MergeReadinessReport report, Severity newWarnings = Severity.Warning) =>
        Readiness.Decide(report, new KernelConfig { NewWarnings = newWarnings });

    [Fact]
    public void A_clean_merge_whose_builds_and_selftests_pass_is_ready_without_notes()
    {
        var report = Verified();
        Decide(report);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);
        Assert.Equal(Verdict.Ready, report.Verdict);
        Assert.Empty(report.Reasons);
        Assert.Empty(report.Notes);
    }

    [Fact]
    public void A_resolved_merge_is_as_good_as_a_clean_one_and_a_conflict_blocks()
    {
        var report = Verified();
        Tree(report).Merge = new MergeReport { Status = MergeStatus.Resolved, Tree = "t", Commit = "c", Resolution = "resolutions/rdma" };
        Decide(report);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);

        Tree(report).Merge = new MergeReport { Status = MergeStatus.Conflict, Conflicts = [new ConflictReport { Path = "mm/hmm.c", Kind = "content" }] };
        Decide(report);
        Assert.Equal(["merge conflict in mm/hmm.c"], Tree(report).Reasons);
        Assert.Equal(Verdict.NotReady, report.Verdict);
    }

    [Fact]
    public void A_failed_merged_build_blocks_with_the_compilers_words_and_the_culprit()
    {
        var report = Verified();
        var culprit = new Culprit(T3, Odp, "rdma", "Caused by commit 333333333333 (\"mm/hmm: remove hmm_pfn_to_map_order()\") interacting with commit 555555555555 (\"RDMA/odp: map huge pages by their order\") from the rdma tree.");
        var error = new BuildDiagnostic("drivers/infiniband/core/umem_odp.c", 246, "implicit declaration of function 'hmm_pfn_to_map_order'")
        { Column = 20, Flag = "-Werror=implicit-function-declaration", Culprit = culprit };
        Tree(report).Builds[1] = new BuildRecord { Kind = BuildKind.Merged, Config = Config, Status = StageStatus.Fail, Errors = [error] };
        Tree(report).Build = new BuildReport { Status = StageStatus.Fail, Errors = [error] };

        Decide(report);

        Assert.Equal([
            "build merged (tinyconfig+hmm-selftests, x86_64): failed: drivers/infiniband/core/umem_odp.c:246:20: implicit declaration of function 'hmm_pfn_to_map_order' [-Werror=implicit-function-declaration]",
            $"build merged (tinyconfig+hmm-selftests, x86_64): {culprit.Text}",
        ], Tree(report).Reasons);
        Assert.Equal(Verdict.NotReady, report.Verdict);
    }

    [Fact]
    public void A_baseline_that_fails_does_not_block_a_merged_build_that_passes()
    {
        var report = Verified();
        Tree(report).Builds[0] = Build(BuildKind.Baseline, StageStatus.Fail);
        Decide(report);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);
    }

    [Fact]
    public void A_failed_focused_compile_blocks_and_a_skipped_one_is_only_said()
    {
        var report = Verified();
        Tree(report).Builds.Add(new BuildRecord { Kind = BuildKind.Focused, Config = "allmodconfig", Status = StageStatus.Fail, Reason = "1 new error" });
        Decide(report);
        Assert.Equal(["build focused (allmodconfig, x86_64): failed (1 new error)"], Tree(report).Reasons);

        Tree(report).Builds[2] = new BuildRecord { Kind = BuildKind.Focused, Config = "allmodconfig", Status = StageStatus.Skipped, Reason = "nothing the topic changed is compiled by this tree" };
        Decide(report);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);
        Assert.Equal(["build focused (allmodconfig, x86_64): skipped (nothing the topic changed is compiled by this tree)"], Tree(report).Notes);
        Assert.Equal(["tree rdma: build focused (allmodconfig, x86_64): skipped (nothing the topic changed is compiled by this tree)"], report.Notes);
    }

    [Fact]
    public void A_passing_roll_up_without_a_merged_build_is_not_verified()
    {
        var report = Verified();
        Tree(report).Builds.RemoveAt(1);
        Decide(report);
        Assert.Equal(["build: no merged build was recorded"], Tree(report).Reasons);
    }

    [Fact]
    public void Without_build_records_the_roll_up_says_why()
    {
        var report = Verified();
        Tree(report).Builds.Clear();
        Tree(report).Build = new BuildReport { Status = StageStatus.NotImplemented, Reason = "kernel builds are not built yet" };
        Decide(report);
        Assert.Equal(["build: not implemented (kernel builds are not built yet)"], Tree(report).Reasons);

        Tree(report).Build = new BuildReport { Status = StageStatus.Skipped, Reason = "the merge has a conflict" };
        Decide(report);
        Assert.Equal(["build: skipped (the merge has a conflict)"], Tree(report).Reasons);
    }

    [Fact]
    public void New_warnings_are_listed_once_and_block_only_when_kernel_newWarnings_is_error()
    {
        var report = Verified();
        var unused = Warning("drivers/infiniband/core/umem_odp.c", 250, "unused variable 'order'", "-Wunused-variable");
        Tree(report).Builds[1] = new BuildRecord { Kind = BuildKind.Merged, Config = Config, Status = StageStatus.Pass, Warnings = 4, NewWarnings = [unused] };
        // The roll-up repeats the merged build's new warnings, with a line number of its own for one of them.
        Tree(report).Build = new BuildReport { Status = StageStatus.Pass, NewWarnings = [unused, unused with { Line = 260 }] };

        Decide(report);
        Assert.Equal(Verdict.Ready, report.Verdict);
        Assert.Equal([
            "build merged (tinyconfig+hmm-selftests, x86_64): 1 new warning: drivers/infiniband/core/umem_odp.c:250: unused variable 'order' [-Wunused-variable]",
            "build: new warning: drivers/infiniband/core/umem_odp.c:260: unused variable 'order' [-Wunused-variable]",
        ], Tree(report).Notes);

        Decide(report, newWarnings: Severity.Error);
        Assert.Equal(Verdict.NotReady, report.Verdict);
        Assert.Empty(Tree(report).Notes);
        Assert.Equal("build merged (tinyconfig+hmm-selftests, x86_64): 1 new warning: drivers/infiniband/core/umem_odp.c:250: unused variable 'order' [-Wunused-variable] (kernel.newWarnings: error)",
            Tree(report).Reasons[0]);
    }

    [Fact]
    public void New_warnings_of_the_topic_and_merge_window_builds_follow_the_same_setting()
    {
        var report = Verified();
        report.Topic.Builds[1] = new BuildRecord { Kind = BuildKind.Topic, Config = Config, Status = StageStatus.Pass, NewWarnings = [Warning("mm/hmm.c", 9, "'x' defined but not used", "-Wunused-function")] };
        Decide(report);
        Assert.Equal(["topic topic (tinyconfig+hmm-selftests, x86_64): 1 new warning: mm/hmm.c:9: 'x' defined but not used [-Wunused-function]"], report.Notes);
        Assert.Equal(Verdict.Ready, report.Verdict);

        Decide(report, newWarnings: Severity.Error);
        Assert.Equal(Verdict.NotReady, report.Verdict);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);
    }

    [Fact]
    public void A_confirmed_regression_blocks_and_names_its_culprit()
    {
        var report = Verified();
        var culprit = new Culprit(new CommitRef("5555555555555555555555555555555555555555", "mm/hmm: mirror one page less"), null, "rdma",
            "Caused by commit 555555555555 (\"mm/hmm: mirror one page less\").");
        Tree(report).Selftests = new SelftestsReport
        {
            Status = StageStatus.Fail,
            Tests = [Test("anon_read", TestStatus.Fail, TestStatus.Pass), Test("anon_write", TestStatus.Pass, TestStatus.Pass)],
            Culprit = culprit,
        };
        Decide(report);
        Assert.Equal([
            "selftests: 1 regression (pass on the baseline, not on the merged kernel): hmm.hmm_device_private.anon_read",
            $"selftests: {culprit.Text}",
        ], Tree(report).Reasons);
    }

    [Fact]
    public void A_regression_in_the_results_blocks_even_when_the_status_says_pass()
    {
        var report = Verified();
        Tree(report).Selftests = new SelftestsReport { Status = StageStatus.Pass, Tests = [Test("anon_read", TestStatus.Timeout, TestStatus.Pass)] };
        Decide(report);
        Assert.Equal(["selftests: 1 regression (pass on the baseline, not on the merged kernel): hmm.hmm_device_private.anon_read"], Tree(report).Reasons);
    }

    [Fact]
    public void Flaky_already_failing_and_fixed_tests_do_not_block_and_are_said()
    {
        var report = Verified();
        Tree(report).Selftests = new SelftestsReport
        {
            Status = StageStatus.Pass,
            Tests =
            [
                Test("anon_read", TestStatus.Pass, TestStatus.Pass, flaky: true),
                Test("migrate_multiple", TestStatus.Fail, TestStatus.Fail),
                Test("exclusive_cow", TestStatus.Timeout, TestStatus.Fail),
                Test("hmm_cow_in_device", TestStatus.Pass, TestStatus.Fail),
            ],
        };
        Decide(report);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);
        Assert.Equal([
            "selftests: 1 flaky test (failed once, passed when run again): hmm.hmm_device_private.anon_read",
            "selftests: already failing on the baseline: hmm.hmm_device_private.migrate_multiple, hmm.hmm_device_private.exclusive_cow",
            "selftests: fixed by the topic (fail on the baseline, pass merged): hmm.hmm_device_private.hmm_cow_in_device",
        ], Tree(report).Notes);
    }

    [Fact]
    public void Tests_that_never_ran_are_no_regression_but_leave_the_tree_not_verified()
    {
        var report = Verified();
        Tree(report).Selftests = new SelftestsReport
        {
            Status = StageStatus.Error, Reason = "no result for 120 s after hmm.hmm_device_private.anon_read: 57 tests missing",
            Tests = [Test("anon_read", TestStatus.Timeout, TestStatus.Timeout), Test("anon_write", TestStatus.Missing, TestStatus.Pass)],
        };
        Decide(report);
        Assert.Equal(["selftests: not verified (no result for 120 s after hmm.hmm_device_private.anon_read: 57 tests missing)"], Tree(report).Reasons);
    }

    [Fact]
    public void A_tree_without_hmm_tests_is_ready_and_says_so_but_selftests_skipped_for_another_reason_block()
    {
        var report = Verified();
        Tree(report).Selftests = new SelftestsReport { Status = StageStatus.Skipped, Reason = Readiness.HmmTestsNotPresent };
        Decide(report);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);
        Assert.Equal(["selftests: skipped (hmm-tests not present); this does not block"], Tree(report).Notes);
        Assert.Equal(Verdict.Ready, report.Verdict);

        Tree(report).Selftests = new SelftestsReport { Status = StageStatus.Skipped, Reason = "build failed" };
        Decide(report);
        Assert.Equal(["selftests: skipped (build failed)"], Tree(report).Reasons);
    }

    [Fact]
    public void The_topic_needs_its_own_build_to_pass_while_the_trees_stay_ready()
    {
        var report = Verified();
        report.Topic.Builds[1] = new BuildRecord { Kind = BuildKind.Topic, Config = Config, Status = StageStatus.Fail, Errors = [new BuildDiagnostic("mm/hmm.c", 12, "expected ';' before '}' token")] };
        Decide(report);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);
        Assert.Equal(["topic topic (tinyconfig+hmm-selftests, x86_64): failed: mm/hmm.c:12: expected ';' before '}' token"], report.Reasons);

        report.Topic.Builds.Clear();
        Decide(report);
        Assert.Equal(["topic: no topic build was recorded"], report.Reasons);
    }

    [Fact]
    public void The_topic_needs_the_merge_window_build_to_pass_when_the_merge_window_has_a_tree()
    {
        var report = Verified();
        report.MergeWindow.Builds[1] = Build(BuildKind.MergeWindow, StageStatus.Fail);
        Decide(report);
        Assert.Equal(["merge window merge-window (tinyconfig+hmm-selftests, x86_64): failed"], report.Reasons);

        report.MergeWindow.Builds.Clear();
        Decide(report);
        Assert.Equal(["merge window: no merge-window build was recorded"], report.Reasons);

        // A conflicted merge window has no tree to build: the conflict is the reason.
        report.MergeWindow = new MergeWindowReport
        {
            Status = MergeStatus.Conflict,
            Conflicts = [new MergeWindowConflict { Path = "drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c", Kind = "content", Trees = ["hmm", "drm"] }],
        };
        Decide(report);
        Assert.Equal(["merge window: hmm and drm conflict in drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c"], report.Reasons);
    }

    [Fact]
    public void A_failing_focused_compile_of_the_merge_window_blocks_the_topic_with_its_culprit()
    {
        var report = Verified();
        var culprit = new Culprit(T3, Odp, "rdma", $"Caused by commit {T3} interacting with commit {Odp} from the rdma tree.");
        report.MergeWindow.Builds.Add(new BuildRecord
        {
            Kind = BuildKind.Focused, Config = "allmodconfig", Status = StageStatus.Fail, Reason = "1 new error(s) under allmodconfig",
            Errors = [new BuildDiagnostic("drivers/infiniband/core/umem_odp.c", 455, "implicit declaration of function 'hmm_pfn_to_map_order'") { Column = 40, Culprit = culprit }],
        });
        Decide(report);
        Assert.Equal(Verdict.Ready, Tree(report).Verdict);
        Assert.Equal(Verdict.NotReady, report.Verdict);
        Assert.Equal(
        [
            "merge window focused (allmodconfig, x86_64): failed (1 new error(s) under allmodconfig): drivers/infiniband/core/umem_odp.c:455:40: implicit declaration of function 'hmm_pfn_to_map_order'",
            $"merge window focused (allmodconfig, x86_64): {culprit.Text}",
        ], report.Reasons);

        // Skipped (the merge window without the topic conflicts, say) is said, and does not block.
        report.MergeWindow.Builds[2] = new BuildRecord { Kind = BuildKind.Focused, Config = "allmodconfig", Status = StageStatus.Skipped, Reason = "no baseline" };
        Decide(report);
        Assert.Equal(Verdict.Ready, report.Verdict);
        Assert.Equal(["merge window focused (allmodconfig, x86_64): skipped (no baseline)"], report.Notes);
    }

    [Fact]
    public void Without_a_passing_Build_stage_the_topic_and_merge_window_builds_are_not_asked_for_twice()
    {
        var report = Verified();
        report.Topic.Builds.Clear();
        report.MergeWindow.Builds.Clear();
        report.Stages.RemoveAll(s => s.Name == "Build");
        report.Stages.Add(new StageReport("Build", StageStatus.NotImplemented, 0, "kernel builds are not built yet"));
        Decide(report);
        Assert.Equal(["stage Build: not implemented (kernel builds are not built yet)"], report.Reasons);
    }

    [Fact]
    public void A_cancelled_stage_is_a_reason_with_its_signal()
    {
        var report = Verified();
        report.Stages.RemoveAll(s => s.Name == "Selftests");
        report.Stages.Add(new StageReport("Selftests", StageStatus.Cancelled, 2000, "SIGTERM after 2.0 s"));
        Decide(report);
        Assert.Equal(["stage Selftests: cancelled (SIGTERM after 2.0 s)"], report.Reasons);
    }
}
