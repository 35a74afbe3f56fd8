using HmmCi.Config;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;
using HmmCi.Trees;

namespace HmmCi.Tests.Trees;

public class FetchStageTests : IDisposable
{
    private readonly TopicScenario _scenario = new();
    private readonly RecordingHost _log = new();

    public void Dispose() => _scenario.Dispose();

    private TreeConfig Tree(string name, string branch, string? url = null) => new(name, url ?? _scenario.Upstream.Path, branch);

    private async Task<FetchResult> Fetch(params TreeConfig[] trees)
    {
        var store = await TreeStore.OpenAsync(_scenario.Directory.Combine("workspace"));
        return await new FetchStage(store, _log).RunAsync(Tree("hmm", "hmm"), Tree("mainline", "master"), trees);
    }

    [Fact]
    public async Task A_tree_that_cannot_be_fetched_fails_alone_in_the_remotes_words_and_the_topic_is_pinned_on_its_base()
    {
        var v61 = _scenario.Upstream.Head;
        _scenario.Branch("hmm");
        var first = _scenario.Upstream.Commit("mm/hmm: first", "mm/hmm.c", "int a;\n");
        var second = _scenario.Upstream.Commit("mm/hmm: second", "mm/hmm.c", "int b;\n");
        _scenario.Branch("for-next");
        var rdma = _scenario.Upstream.Commit("RDMA: a change", "drivers/infiniband/a.c", "int a;\n");
        _scenario.Upstream.Checkout("master");
        var mainline = _scenario.Upstream.Commit("Linux 6.2-rc1", "Makefile", "VERSION = 6\nPATCHLEVEL = 2\n");
        var missing = _scenario.Directory.Combine("no-such-repo.git");

        var result = await Fetch(Tree("rdma", "for-next"), Tree("drm", "drm-next", missing), Tree("mm", "mm-unstable"));

        Assert.Equal((second, null), (result.Topic.Head, result.TopicError));
        Assert.Equal((mainline, null), (result.Mainline.Head, result.Mainline.Error));
        Assert.Equal(v61, result.TopicBase);
        Assert.Equal([new CommitRef(first, "mm/hmm: first"), new CommitRef(second, "mm/hmm: second")], result.TopicCommits);
        var trees = result.Trees.ToDictionary(t => t.Tree.Name);
        Assert.Equal(["rdma", "drm", "mm"], result.Trees.Select(t => t.Tree.Name));
        Assert.Equal((rdma, null), (trees["rdma"].Head, trees["rdma"].Error));
        Assert.Null(trees["drm"].Head);
        Assert.StartsWith($"fetching {missing} failed: ", trees["drm"].Error);
        Assert.Contains("does not appear to be a git repository", trees["drm"].Error);
        Assert.Null(trees["mm"].Head);
        Assert.Contains("couldn't find remote ref refs/heads/mm-unstable", trees["mm"].Error);
        Assert.Equal([$"drm: {trees["drm"].Error}", $"mm: {trees["mm"].Error}"], _log.Errors);
        Assert.Contains($"  rdma is at {rdma[..12]}", _log.Lines);
    }

    [Fact]
    public async Task A_topic_with_no_history_in_common_with_mainline_is_pinned_with_an_error_saying_so_and_no_commits()
    {
        _scenario.Upstream.Git("checkout", "-q", "--orphan", "hmm");
        _scenario.Upstream.Git("rm", "-rq", "--cached", ".");
        var head = _scenario.Upstream.Commit("mm/hmm: a fresh start", new Dictionary<string, string?> { ["mm/hmm.c"] = "int a;\n" });

        var result = await Fetch();

        Assert.Equal((head, null), (result.Topic.Head, result.Topic.Error));
        Assert.Equal("the topic has no history in common with mainline", result.TopicError);
        Assert.Null(result.TopicBase);
        Assert.Empty(result.TopicCommits);
    }

    [Fact]
    public async Task Applying_the_result_writes_each_pinned_head_and_error_into_the_tree_of_that_name()
    {
        _scenario.Branch("hmm");
        var topic = _scenario.Upstream.Commit("mm/hmm: first", "mm/hmm.c", "int a;\n");
        _scenario.Upstream.Checkout("master");
        var result = await Fetch(Tree("mm", "mm-unstable"), Tree("rdma", "master"));
        var report = new MergeReadinessReport
        {
            Config = "hmmci.yml",
            Topic = new TopicReport { Name = "hmm", Url = _scenario.Upstream.Path, Branch = "hmm" },
            Mainline = new MainlineReport { Url = _scenario.Upstream.Path, Branch = "master" },
        };
        // The report lists the trees in another order than they were fetched: they are matched by name.
        report.Trees.Add(new TreeReport { Name = "rdma", Url = _scenario.Upstream.Path, Branch = "master" });
        report.Trees.Add(new TreeReport { Name = "mm", Url = _scenario.Upstream.Path, Branch = "mm-unstable" });

        report.Apply(result);

        Assert.Equal((topic, result.TopicBase, null), (report.Topic.Head, report.Topic.Base, report.Topic.Error));
        Assert.Equal([new CommitRef(topic, "mm/hmm: first")], report.Topic.Commits);
        Assert.Equal((_scenario.Upstream.Head, null), (report.Mainline.Head, report.Mainline.Error));
        Assert.Equal((_scenario.Upstream.Head, null), (report.Trees[0].Head, report.Trees[0].Error));
        Assert.Null(report.Trees[1].Head);
        Assert.Contains("couldn't find remote ref refs/heads/mm-unstable", report.Trees[1].Error);
    }
}
