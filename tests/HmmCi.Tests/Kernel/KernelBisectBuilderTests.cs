using HmmCi.Kernel;
using HmmCi.Reports;

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
        var stage = _kernel.Stage(_kernel.Config());
        await stage.RunAsync(report, CancellationToken.None);

        var step = await new KernelBisectBuilder(stage, report, Path.Combine(_kernel.Repo.Path, ".git"), HmmCi.Processes.ProcessRunner.Default)
            .BuildAsync("rdma", new CommitRef(t1, "T1"), CancellationToken.None);

        Assert.Equal(StageStatus.Pass, step.Status);
        Assert.Equal($"builds/rdma/tinyconfig+hmm-selftests/bisect-{t1[..12]}/bzImage", step.Artifacts.Kernel);
        Assert.True(File.Exists(_kernel.OutputFile(step.Artifacts.Selftests.HmmTests)));
        Assert.Equal($"{rdma} {t1}", _kernel.Repo.Git("log", "-1", "--format=%P", step.Commit!).Trim());
        Assert.Equal(["  CC      lib/hmm.o"], File.ReadAllLines(_kernel.OutputFile(step.Log)).Where(l => l.StartsWith("  CC")));
        Assert.NotEqual(t2, step.Commit);
    }
}
