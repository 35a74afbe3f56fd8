using HmmCi.Config;
using HmmCi.Reports;

namespace HmmCi.Tests.Reports;

/// <summary>
/// The bundled sample's captured report (a real run: capture-sample-report.sh) says what README says it does: not
/// ready, with each of the problems the sample was built to contain, and nothing found where nothing is wrong.
/// </summary>
public class SampleVerdictTests
{
    static readonly MergeReadinessReport Report =
        ReportJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "Data", "sample-report.json")));

    static TreeReport Tree(string name) => Report.Trees.Single(t => t.Name == name);

    static IEnumerable<Finding> Problems(string? tree) =>
        Report.Findings.Where(f => f.Effect == FindingEffect.Problem && f.Tree == tree);

    [Fact]
    public void The_sample_is_not_ready_because_of_what_it_was_built_to_contain_and_leaves_unverified_only_what_those_problems_stop()
    {
        Assert.Equal(Verdict.NotReady, Report.Verdict);
        Assert.All(Report.Stages, s => Assert.Equal(StageStatus.Pass, s.Status));
        Assert.All(Report.Trees, t => Assert.Equal(Verdict.NotReady, t.Verdict));
        // drm's conflict leaves nothing to build or boot; mm's merged kernel does not build, so it is not booted.
        Assert.Equal(
        [
            (FindingKind.Build, "drm"), (FindingKind.Selftests, "drm"), (FindingKind.Selftests, "mm"),
        ], Report.Findings.Where(f => f.Effect == FindingEffect.Unverified).Select(f => (f.Kind, f.Tree)));
    }

    [Fact]
    public void The_drm_conflict_is_found_in_the_test_merge_and_in_the_merge_window()
    {
        const string path = "drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c";
        Assert.Contains(Problems("drm"), f => f.Kind == FindingKind.Conflict && f.Paths.Contains(path));
        var conflict = Assert.Single(Tree("drm").Merge.Conflicts);
        Assert.Equal(path, conflict.Path);
        Assert.NotEmpty(conflict.TopicCommits);
        Assert.NotEmpty(conflict.TreeCommits);
        Assert.Contains(Report.Findings, f => f is { Kind: FindingKind.MergeWindowConflict, Effect: FindingEffect.Problem } && f.Trees.SequenceEqual(["hmm", "drm"]) && f.Paths.Contains(path));
    }

    [Fact]
    public void The_checks_find_the_missing_signoff_the_bad_fixes_tag_and_the_duplicate_patch_in_rdma()
    {
        string Subject(string check) => Report.Topic.Commits.Single(c => c.Sha == Report.Checks.First(f => f.Check == check).Commit).Subject;
        Assert.Equal("mm/hmm: fix the comment above hmm_pfn_to_map_shift()", Subject("signed-off-by"));
        Assert.Equal("mm/hmm: document HMM_PFN_ORDER_SHIFT in the pfn flags comment", Subject("fixes-tag"));
        Assert.Equal("RDMA/umem: fix the kernel-doc of ib_umem_odp_map_dma_single_page()", Subject("duplicates"));
        Assert.Equal(2, Report.Checks.Count(c => c.Severity == Severity.Error));
        Assert.Equal(2, Report.Findings.Count(f => f is { Kind: FindingKind.Check, Effect: FindingEffect.Problem }));
        Assert.Single(Tree("rdma").Duplicates);
    }

    [Fact]
    public void The_semantic_conflict_with_mm_breaks_its_merged_build_while_its_baseline_builds()
    {
        var mm = Tree("mm");
        Assert.Equal(StageStatus.Pass, mm.Builds.First(b => b.Kind == BuildKind.Baseline).Status);
        var merged = mm.Builds.First(b => b.Kind == BuildKind.Merged);
        Assert.Equal(StageStatus.Fail, merged.Status);
        Assert.Contains(merged.Errors, e => e.File == "lib/test_hmm.c");
        Assert.Contains(Problems("mm"), f => f.Kind == FindingKind.BuildError && f.Build == BuildKind.Merged);
    }

    [Theory]
    [InlineData("mm", "lib/test_hmm.c")]
    [InlineData("rdma", "drivers/infiniband/core/umem_odp.c")]
    public void The_focused_allmodconfig_compile_names_the_colliding_commits(string tree, string file)
    {
        var focused = Tree(tree).Builds.Single(b => b.Kind == BuildKind.Focused);
        var error = Assert.Single(focused.Errors, e => e.File == file);
        Assert.StartsWith("Caused by commit ", error.Culprit!.Text);
        Assert.Contains($"from the {tree} tree", error.Culprit.Text);
        Assert.Contains(Problems(tree), f => f.Kind == FindingKind.Culprit && f.Build == BuildKind.Focused);
        // The merge window meets both, each culprit naming the tree its commit comes from.
        Assert.Contains(Report.MergeWindow.Builds.Where(b => b.Kind == BuildKind.Focused).SelectMany(b => b.Errors),
            e => e.File == file && e.Culprit!.Text.Contains($"from the {tree} tree"));
    }

    [Fact]
    public void The_rdma_selftests_regress_in_the_mirror_reads_are_confirmed_and_bisected_to_T5_and_v6_1s_own_failures_are_already_failing()
    {
        var selftests = Tree("rdma").Selftests;
        var regressions = selftests.Tests.Where(t => t.Classification == SelftestClass.Regression).Select(t => t.Name).ToList();
        Assert.Equal(14, regressions.Count);
        Assert.Contains("hmm.hmm_device_private.anon_read", regressions);
        Assert.Contains(selftests.Runs, r => r.Kind == "confirm");
        Assert.Equal("lib/test_hmm: use PFN helpers in the bounce buffer copy loops", selftests.Culprit!.TopicCommit.Subject);
        Assert.Equal(4, selftests.Tests.Count(t => t.Classification == SelftestClass.AlreadyFailing));
        var finding = Assert.Single(Problems("rdma"), f => f.Kind == FindingKind.SelftestRegression);
        Assert.Equal(regressions, finding.Tests);
        Assert.Contains(Report.Findings, f => f is { Kind: FindingKind.AlreadyFailing, Effect: FindingEffect.Note, Tree: "rdma" });
    }
}
