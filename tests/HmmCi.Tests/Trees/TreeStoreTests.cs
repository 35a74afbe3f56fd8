using HmmCi.Config;
using HmmCi.Tests.Fixtures;
using HmmCi.Trees;

namespace HmmCi.Tests.Trees;

public class TreeStoreTests : IDisposable
{
    private readonly TopicScenario _scenario = new();

    public TreeStoreTests()
    {
        _scenario.Branch("hmm");
        _scenario.Upstream.Commit("mm/hmm: topic", "mm/hmm.c", "int hmm_range_fault(void) { return 1; }\n");
        _scenario.Upstream.Checkout("master");
    }

    public void Dispose() => _scenario.Dispose();

    private Task<TreeStore> Open() => TreeStore.OpenAsync(_scenario.Directory.Combine("workspace"));

    private TreeConfig Tree(string name, string branch, string? url = null) => new(name, url ?? _scenario.Upstream.Path, branch);

    private static string Objects(TreeStore store) =>
        string.Join("\n", Directory.GetFiles(Path.Combine(store.Git.GitDirectory, "objects"), "*", SearchOption.AllDirectories).Order());

    [Fact]
    public async Task Fetching_a_tree_that_has_not_moved_changes_nothing_in_the_store()
    {
        var store = await Open();
        var first = await store.FetchAsync(Tree("hmm", "hmm"), withTags: false);
        var objects = Objects(store);

        var again = await (await Open()).FetchAsync(Tree("hmm", "hmm"), withTags: false);

        Assert.Equal(first.Head, again.Head);
        Assert.Equal(objects, Objects(store));
    }

    [Fact]
    public async Task A_local_tree_lends_its_objects_instead_of_being_copied()
    {
        var store = await Open();
        var fetched = await store.FetchAsync(Tree("hmm", "hmm"), withTags: false);
        await store.FetchAsync(Tree("hmm-again", "hmm"), withTags: false);

        var alternates = File.ReadAllLines(Path.Combine(store.Git.GitDirectory, "objects", "info", "alternates"));
        Assert.Equal([Path.Combine(_scenario.Upstream.Path, ".git", "objects")], alternates);
        Assert.DoesNotContain(Directory.GetFiles(Path.Combine(store.Git.GitDirectory, "objects"), "*", SearchOption.AllDirectories),
            f => !f.EndsWith("alternates", StringComparison.Ordinal));
        Assert.Equal("commit", (await store.Git.ReadAsync("cat-file", "-t", fetched.Head!)).Trim());
    }

    [Fact]
    public async Task The_pinned_head_stays_put_when_the_remote_moves_during_the_run()
    {
        var store = await Open();
        var fetched = await store.FetchAsync(Tree("hmm", "hmm"), withTags: false);
        _scenario.Upstream.Checkout("hmm");
        var pushed = _scenario.Upstream.Commit("mm/hmm: pushed during the run", "mm/hmm.c", "int hmm_range_fault(void) { return 2; }\n");

        Assert.Equal(_scenario.Upstream.Git("rev-parse", "hmm~1").Trim(), fetched.Head);
        Assert.Equal(fetched.Head, (await store.Git.ReadAsync("rev-parse", TreeStore.PinnedRef("hmm"))).Trim());
        Assert.NotEqual(pushed, fetched.Head);
    }

    [Fact]
    public async Task An_unreachable_url_or_a_missing_branch_fails_that_tree_alone_in_the_remotes_words()
    {
        var store = await Open();

        var missingRepository = await store.FetchAsync(Tree("rdma", "for-next", _scenario.Directory.Combine("nowhere.git")), withTags: false);
        var missingBranch = await store.FetchAsync(Tree("drm", "drm-next"), withTags: false);
        var fine = await store.FetchAsync(Tree("hmm", "hmm"), withTags: false);

        Assert.False(missingRepository.Ok);
        Assert.Contains("does not appear to be a git repository", missingRepository.Error);
        Assert.False(missingBranch.Ok);
        Assert.Contains("couldn't find remote ref refs/heads/drm-next", missingBranch.Error);
        Assert.True(fine.Ok);
    }
}
