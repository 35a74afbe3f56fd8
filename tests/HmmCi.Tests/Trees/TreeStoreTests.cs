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
        // A file:// URL is not a local path, so nothing is borrowed: the first fetch really copies objects.
        var url = new Uri(_scenario.Upstream.Path).AbsoluteUri;
        var store = await Open();
        var progress = new List<string>();
        var first = await store.FetchAsync(Tree("hmm", "hmm", url), withTags: false, progress.Add);
        Assert.Contains(progress, line => line.StartsWith("remote: Counting objects: 100%", StringComparison.Ordinal) && line.EndsWith(", done.", StringComparison.Ordinal));
        var objects = Objects(store);
        Assert.False(File.Exists(Path.Combine(store.Git.GitDirectory, "objects", "info", "alternates")));
        Assert.Equal("commit", (await store.Git.ReadAsync("cat-file", "-t", first.Head!)).Trim());
        Assert.NotEmpty(objects);

        var again = await (await Open()).FetchAsync(Tree("hmm", "hmm", url), withTags: false);

        Assert.True(again.Ok);
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

    private async Task<string?> Pinned(TreeStore store, string tree)
    {
        var result = await store.Git.RunAsync(["rev-parse", "--verify", "--quiet", TreeStore.PinnedRef(tree)]);
        return result.Success ? result.Output.Trim() : null;
    }

    [Fact]
    public async Task The_pinned_head_stays_put_when_the_remote_moves_during_the_run()
    {
        var store = await Open();
        var fetched = await store.FetchAsync(Tree("hmm", "hmm"), withTags: false);
        _scenario.Upstream.Checkout("hmm");
        var pushed = _scenario.Upstream.Commit("mm/hmm: pushed during the run", "mm/hmm.c", "int hmm_range_fault(void) { return 2; }\n");
        _scenario.Upstream.Checkout("master");

        // Later in the run the store fetches from the same remote again (another tree on the same branch) and so
        // holds the pushed commit; what later stages read, the pinned ref, is still the run's head.
        var other = await store.FetchAsync(Tree("hmm-mirror", "hmm"), withTags: false);
        Assert.Equal(pushed, other.Head);
        Assert.Equal(pushed, (await store.Git.ReadAsync("rev-parse", "refs/remotes/hmm-mirror/hmm")).Trim());
        Assert.Equal(_scenario.Upstream.Git("rev-parse", "hmm~1").Trim(), fetched.Head);
        Assert.Equal(fetched.Head, await Pinned(store, "hmm"));

        // The next run's fetch moves it.
        var next = await (await Open()).FetchAsync(Tree("hmm", "hmm"), withTags: false);
        Assert.Equal(pushed, next.Head);
        Assert.Equal(pushed, await Pinned(store, "hmm"));
    }

    [Fact]
    public async Task A_tree_that_fails_to_fetch_loses_the_head_an_earlier_run_pinned()
    {
        var store = await Open();
        Assert.True((await store.FetchAsync(Tree("hmm", "hmm"), withTags: false)).Ok);
        Assert.True((await store.FetchAsync(Tree("rdma", "hmm"), withTags: false)).Ok);
        Assert.NotNull(await Pinned(store, "hmm"));

        var unreachable = await store.FetchAsync(Tree("hmm", "hmm", _scenario.Directory.Combine("nowhere.git")), withTags: false);
        var missingBranch = await store.FetchAsync(Tree("rdma", "for-next"), withTags: false);

        Assert.False(unreachable.Ok);
        Assert.Null(await Pinned(store, "hmm"));
        Assert.False(missingBranch.Ok);
        Assert.Null(await Pinned(store, "rdma"));
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
