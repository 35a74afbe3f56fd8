using HmmCi.Kernel;
using HmmCi.Merging;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;
using HmmCi.Trees;

namespace HmmCi.Tests.Kernel;

/// <summary>The Selftests stage's bisect steps built through the Build stage: the topic up to a commit, merged into the tree.</summary>
public sealed class KernelBisectBuilderTests : IDisposable
{
    readonly FakeKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    [Fact]
    public async Task A_bisect_step_merges_the_topic_up_to_the_commit_into_the_tree_head_and_builds_it_incrementally()
    {
        var t1 = _kernel.Commit("T1", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var t2 = _kernel.Commit("T2", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 3; }\n" }, t1);
        var rdma = _kernel.Commit("rdma", new Dictionary<string, string?> { ["lib/main.c"] = "int fake_main(void) { return 4; }\n" });
        var report = FakeKernel.Report(("rdma", rdma, rdma));
        var config = _kernel.Config();
        var stage = _kernel.Stage(config);
        await stage.RunAsync(report, CancellationToken.None);

        var step = await new KernelBisectBuilder(stage, report, _kernel.Merges(config)).BuildAsync("rdma", new CommitRef(t1, "T1"), CancellationToken.None);

        Assert.Equal(StageStatus.Pass, step.Status);
        Assert.Equal($"builds/rdma/tinyconfig+hmm-selftests/bisect-{t1[..12]}/bzImage", step.Artifacts.Kernel);
        Assert.True(File.Exists(_kernel.OutputFile(step.Artifacts.Selftests.HmmTests)));
        Assert.Equal($"{rdma} {t1}", _kernel.Repo.Git("log", "-1", "--format=%P", step.Commit!).Trim());
        Assert.Equal(["  CC      lib/hmm.o"], File.ReadAllLines(_kernel.OutputFile(step.Log)).Where(l => l.StartsWith("  CC")));
        Assert.NotEqual(t2, step.Commit);
    }

    [Fact]
    public async Task A_tree_whose_conflict_is_resolved_by_its_recorded_resolution_is_bisected_with_the_resolution_applied()
    {
        var t1 = _kernel.Commit("T1", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var t2 = _kernel.Commit("T2", new Dictionary<string, string?> { ["lib/extra.c"] = "int fake_extra(void) { return 5; }\n" }, t1);
        var rdma = _kernel.Commit("rdma", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x - 1; }\n" });
        const string resolved = "int fake_hmm(int x) { return x + 2 - 1; }\n";
        var report = FakeKernel.Report(("rdma", rdma, null));
        (report.Topic.Head, report.Mainline.Head) = (t2, _kernel.Base);
        var config = _kernel.Config();
        var git = new GitCli(_kernel.GitDirectory);
        // ./build.sh Merge --record-resolution rdma, twice, the conflict resolved by hand in between.
        var merge = new MergeStage(git, _kernel.Objects, RecordedResolutions.Of(config, git), _kernel.Workspace, new RecordingHost());
        await merge.RunAsync(report, "rdma");
        File.WriteAllText(Path.Combine(_kernel.Workspace, "resolve", "rdma", "lib", "hmm.c"), resolved);
        await merge.RunAsync(report, "rdma");
        var tree = report.Trees[0];
        Assert.Equal(MergeStatus.Resolved, tree.Merge.Status);
        var stage = _kernel.Stage(config);
        await stage.RunAsync(report, CancellationToken.None);
        Assert.Equal(StageStatus.Pass, tree.Build.Status);
        var bisect = new KernelBisectBuilder(stage, report, _kernel.Merges(config));

        var step = await bisect.BuildAsync("rdma", new CommitRef(t1, "T1"), CancellationToken.None);

        Assert.True(step.Status == StageStatus.Pass, step.Reason);
        Assert.Equal($"{rdma} {t1}", _kernel.Repo.Git("log", "-1", "--format=%P", step.Commit!).Trim());
        Assert.Equal(resolved, _kernel.Repo.Git("show", $"{step.Commit}:lib/hmm.c"));
        // The whole topic is the test merge again: the same tree, built already.
        var whole = await bisect.BuildAsync("rdma", new CommitRef(t2, "T2"), CancellationToken.None);
        Assert.Equal((StageStatus.Pass, true, tree.Merge.Tree), (whole.Status, whole.Cached, whole.SourceTree));
    }
}
