using System.Text.Json;
using HmmCi.Tests.Fixtures;
using HmmCi.Build.Engine;

namespace HmmCi.Tests.Merging;

/// <summary>The Merge target run in-process on a small shared-topic world, asserting report.json.</summary>
public class MergePipelineTests : IDisposable
{
    private readonly TopicScenario _scenario = new();
    private readonly string _topic;
    private readonly string _rdma;
    private readonly string _drm;

    public MergePipelineTests()
    {
        var upstream = _scenario.Upstream;
        _scenario.Branch("hmm");
        _topic = upstream.Commit("mm/hmm: return -EBUSY from hmm_range_fault()\n\nSigned-off-by: Alice Author <alice@example.org>\n",
            "mm/hmm.c", "// SPDX-License-Identifier: GPL-2.0-only\nint hmm_range_fault(void)\n{\n\treturn -EBUSY;\n}\n");
        _scenario.Branch("for-next");
        _rdma = upstream.Commit("RDMA/core: add a driver file", "drivers/infiniband/core.c", "int x;\n", "Rdma Dev <rdma@example.org>");
        _scenario.Branch("drm-next");
        _drm = upstream.Commit("drm: hmm_range_fault() returns -EAGAIN", "mm/hmm.c",
            "// SPDX-License-Identifier: GPL-2.0-only\nint hmm_range_fault(void)\n{\n\treturn -EAGAIN;\n}\n", "Drm Dev <drm@example.org>");
        upstream.Checkout("master");
    }

    public void Dispose() => _scenario.Dispose();

    private PipelineRun Run(params string[] args) => RunWith([("rdma", "for-next"), ("drm", "drm-next")], "hmm", args);

    private PipelineRun RunWith((string Name, string Branch)[] trees, string topicBranch, params string[] args) =>
        PipelineRun.Execute(_scenario.Directory, null, ["Merge", "--config", _scenario.WriteConfig(trees, topicBranch), .. args]);

    private string? StoreRef(string name)
    {
        try { return Store("rev-parse", "--verify", "--quiet", name); }
        catch (InvalidOperationException) { return null; }
    }

    private string Store(params string[] args) => _scenario.Upstream.Git(["--git-dir", _scenario.Directory.Combine("workspace", "store.git"), .. args]).Trim();

    private static Dictionary<string, JsonElement> Trees(JsonElement report) =>
        report.GetProperty("trees").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);

    [Fact]
    public void The_Merge_target_reports_clean_merges_with_commits_conflicts_with_both_sides_and_the_merge_window()
    {
        var run = Run();

        Assert.Equal(1, run.ExitCode);
        var report = run.Report;
        var trees = Trees(report);

        var rdma = trees["rdma"].GetProperty("merge");
        Assert.Equal("clean", rdma.GetProperty("status").GetString());
        Assert.Equal(_scenario.Upstream.Git("merge-tree", "--write-tree", _rdma, _topic).Trim(), rdma.GetProperty("tree").GetString());
        Assert.Equal(Store("rev-parse", "refs/hmmci/merged/rdma"), rdma.GetProperty("commit").GetString());
        Assert.Equal("Merge hmm into rdma for-next (test merge)", Store("log", "-1", "--format=%s", "refs/hmmci/merged/rdma"));
        Assert.Equal(["build: skipped (Build did not run)", "selftests: skipped (Selftests did not run)"],
            trees["rdma"].GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        var drm = trees["drm"].GetProperty("merge");
        Assert.Equal("conflict", drm.GetProperty("status").GetString());
        var conflict = drm.GetProperty("conflicts").EnumerateArray().Single();
        Assert.Equal("mm/hmm.c", conflict.GetProperty("path").GetString());
        Assert.Equal("content", conflict.GetProperty("kind").GetString());
        Assert.Equal(_topic, conflict.GetProperty("topicCommits")[0].GetProperty("sha").GetString());
        Assert.Equal("drm: hmm_range_fault() returns -EAGAIN", conflict.GetProperty("treeCommits")[0].GetProperty("subject").GetString());
        Assert.Contains("<<<<<<< drm\n\treturn -EAGAIN;\n=======\n\treturn -EBUSY;\n>>>>>>> hmm", conflict.GetProperty("excerpt").GetString());
        Assert.Equal("not-ready", trees["drm"].GetProperty("verdict").GetString());

        var window = report.GetProperty("mergeWindow");
        Assert.Equal("conflict", window.GetProperty("status").GetString());
        Assert.Equal(["mainline", "hmm", "rdma", "drm"], window.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("tree").GetString()));
        var windowConflict = window.GetProperty("conflicts").EnumerateArray().Single();
        Assert.Equal(["hmm", "drm"], windowConflict.GetProperty("trees").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(Store("rev-parse", "refs/hmmci/merge-window"), window.GetProperty("commit").GetString());

        Assert.Equal("not-ready", report.GetProperty("verdict").GetString());
        Assert.Contains(report.GetProperty("reasons").EnumerateArray(), r => r.GetString() == "merge window: hmm and drm conflict in mm/hmm.c");
        var markdown = File.ReadAllText(Path.Combine(run.OutputDirectory, "report.md"));
        Assert.Contains("between\ncommit " + _topic[..12] + " (\"mm/hmm: return -EBUSY from hmm_range_fault()\") from the hmm tree", markdown);
        Assert.Contains($"The test merge is `{rdma.GetProperty("commit").GetString()![..12]}` (tree `{rdma.GetProperty("tree").GetString()![..12]}`) under `refs/hmmci/merged/rdma`.", markdown);
        Assert.Contains("When Linus merges the drm tree he will get a conflict in `mm/hmm.c` between", markdown);
    }

    [Fact]
    public void Record_resolution_makes_a_work_tree_then_records_it_and_later_runs_report_resolved()
    {
        var first = Run("--record-resolution", "drm");
        var workTree = _scenario.Directory.Combine("workspace", "resolve", "drm");
        Assert.Contains(first.Host.Lines, l => l.Contains($"is in {workTree}; resolve it there (mm/hmm.c)"));

        File.WriteAllText(Path.Combine(workTree, "mm/hmm.c"), "// SPDX-License-Identifier: GPL-2.0-only\nint hmm_range_fault(void)\n{\n\treturn -EAGAIN ?: -EBUSY;\n}\n");
        var second = Run("--record-resolution", "drm");
        Assert.Contains(second.Host.Lines, l => l.StartsWith("drm: recorded the resolution of 1 path(s)", StringComparison.Ordinal));
        Assert.True(File.Exists(_scenario.Directory.Combine("resolutions", "drm", "postimage", "mm", "hmm.c")));
        // The run that records the resolution reports a merge window that uses it, not the one simulated before.
        Assert.Equal("resolved", Trees(second.Report)["drm"].GetProperty("merge").GetProperty("status").GetString());
        Assert.Equal("resolved", second.Report.GetProperty("mergeWindow").GetProperty("status").GetString());
        Assert.DoesNotContain(second.Report.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("merge", StringComparison.Ordinal));

        var later = Run();
        Assert.Equal(PipelineBuild.ExitIncomplete, later.ExitCode); // Build and Selftests did not run: nothing found, not everything verified
        Assert.DoesNotContain(later.Report.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("merge", StringComparison.Ordinal));
        var drm = Trees(later.Report)["drm"].GetProperty("merge");
        Assert.Equal("resolved", drm.GetProperty("status").GetString());
        Assert.Equal("resolutions/drm", drm.GetProperty("resolution").GetString());
        Assert.Contains("-EAGAIN ?: -EBUSY", Store("show", "refs/hmmci/merged/drm:mm/hmm.c"));
        Assert.Equal("resolved", later.Report.GetProperty("mergeWindow").GetProperty("status").GetString());
    }

    [Fact]
    public void A_tree_that_fails_to_fetch_later_keeps_no_pinned_head_or_merge_from_the_earlier_run()
    {
        var good = Run();
        Assert.Equal("clean", Trees(good.Report)["rdma"].GetProperty("merge").GetProperty("status").GetString());
        Assert.NotNull(StoreRef("refs/hmmci/heads/rdma"));
        Assert.NotNull(StoreRef("refs/hmmci/merged/rdma"));

        // rdma's branch is gone: its fetch fails, so its merge is skipped.
        var later = RunWith([("rdma", "no-such-branch"), ("drm", "drm-next")], "hmm");

        var rdma = Trees(later.Report)["rdma"];
        Assert.Equal("skipped", rdma.GetProperty("merge").GetProperty("status").GetString());
        Assert.Null(StoreRef("refs/hmmci/heads/rdma"));
        Assert.Null(StoreRef("refs/hmmci/merged/rdma"));
    }

    [Fact]
    public void When_the_topic_fails_to_fetch_no_tree_keeps_an_earlier_merge()
    {
        Run();
        Assert.NotNull(StoreRef("refs/hmmci/merged/rdma"));
        Assert.NotNull(StoreRef("refs/hmmci/merge-window"));

        var later = RunWith([("rdma", "for-next"), ("drm", "drm-next")], "no-such-topic-branch");

        Assert.Equal("skipped", Trees(later.Report)["rdma"].GetProperty("merge").GetProperty("status").GetString());
        Assert.Equal("skipped", later.Report.GetProperty("mergeWindow").GetProperty("status").GetString());
        Assert.Null(StoreRef("refs/hmmci/heads/hmm"));
        Assert.Null(StoreRef("refs/hmmci/merged/rdma"));
        Assert.Null(StoreRef("refs/hmmci/merge-window"));
        Assert.NotNull(StoreRef("refs/hmmci/heads/rdma"));
    }

    [Fact]
    public void An_unknown_tree_for_record_resolution_is_bad_input()
    {
        var run = Run("--record-resolution", "nosuch");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Host.Errors, e => e.Contains("--record-resolution: no tree named nosuch"));
    }
}
