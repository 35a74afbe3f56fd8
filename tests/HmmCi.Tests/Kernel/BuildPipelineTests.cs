using System.Text.Json;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Kernel;

/// <summary>./build.sh Build end to end over the fake tree: Fetch, Check and Merge feed the Build stage through the report.</summary>
public sealed class BuildPipelineTests : IDisposable
{
    readonly FakeKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    [Fact]
    public void Build_reads_this_runs_merges_builds_every_clean_tree_topic_and_merge_window_and_skips_the_conflict()
    {
        var repo = _kernel.Repo;
        var topic = _kernel.Commit("mm/hmm: tune fake_hmm\n\nSigned-off-by: Alice Author <alice@example.org>\n", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var rdma = _kernel.Commit("RDMA: touch main\n\nSigned-off-by: Alice Author <alice@example.org>\n", new Dictionary<string, string?> { ["lib/main.c"] = "int fake_main(void) { return 3; }\n" });
        var drm = _kernel.Commit("drm: conflict\n\nSigned-off-by: Alice Author <alice@example.org>\n", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x - 1; }\n" });
        foreach (var (branch, sha) in new[] { ("master", _kernel.Base), ("hmm", topic), ("for-next", rdma), ("drm-next", drm) })
            repo.Git("branch", "-f", branch, sha);
        var config = _kernel.Directory.WriteFile("hmmci.yml", $"""
            topic:    {"{"} name: hmm, url: {repo.Path}, branch: hmm {"}"}
            mainline: {"{"} url: {repo.Path}, branch: master {"}"}
            trees:
              - {"{"} name: rdma, url: {repo.Path}, branch: for-next {"}"}
              - {"{"} name: drm, url: {repo.Path}, branch: drm-next {"}"}
            kernel: {"{"} runtime: host, focused: {"{"} configs: [] {"}"} {"}"} # the fake tree has no prepare: the focused compile has its own tests
            """);

        var run = PipelineRun.Execute(_kernel.Directory, null, "Build", "--config", config);

        var report = ReportJson.Deserialize(File.ReadAllText(Path.Combine(run.OutputDirectory, "report.json")));
        Assert.Equal(StageStatus.Pass, report.Stages.Single(s => s.Name == "Build").Status);
        var rdmaReport = report.Trees.Single(t => t.Name == "rdma");
        Assert.Equal(StageStatus.Pass, rdmaReport.Build.Status);
        Assert.Equal([(BuildKind.Baseline, rdma), (BuildKind.Merged, rdmaReport.Merge.Commit!)], rdmaReport.Builds.Select(b => (b.Kind, b.Commit!)));
        var drmReport = report.Trees.Single(t => t.Name == "drm");
        Assert.Equal(StageStatus.Skipped, drmReport.Build.Status);
        Assert.Equal("the test merge is conflict (conflict in lib/hmm.c): nothing to build", drmReport.Build.Reason);
        Assert.Equal([BuildKind.Baseline, BuildKind.Topic], report.Topic.Builds.Select(b => b.Kind));
        Assert.Equal(report.MergeWindow.Commit, report.MergeWindow.Builds.Single(b => b.Kind == BuildKind.MergeWindow).Commit);
        Assert.All(rdmaReport.Builds.Concat(report.Topic.Builds), b => Assert.True(File.Exists(Path.Combine(run.OutputDirectory, b.Artifacts.Selftests.HmmTests!))));
        Assert.Contains(run.Host.Lines, l => l.StartsWith("build: host"));

        // report.json reads back into the model unchanged, builds and all.
        var json = File.ReadAllText(Path.Combine(run.OutputDirectory, "report.json"));
        Assert.Equal(json, ReportJson.Serialize(ReportJson.Deserialize(json)));
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(json).RootElement.GetProperty("trees")[0].GetProperty("builds").ValueKind);
    }
}
