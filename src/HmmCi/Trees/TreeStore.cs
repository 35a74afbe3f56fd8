using HmmCi.Config;
using HmmCi.Reports;

namespace HmmCi.Trees;

/// <summary>A tree's head as pinned at the start of a run, or why it could not be fetched.</summary>
public sealed record FetchedTree(TreeConfig Tree, string? Head, string? Error)
{
    public bool Ok => Head is not null;
}

/// <summary>
/// One bare repository holding every configured tree as a remote, the way linux-next is assembled:
/// kernel trees share almost all objects, so each fetch after the first brings only what is new.
/// </summary>
public sealed class TreeStore
{
    private TreeStore(GitCli git) => Git = git;

    public GitCli Git { get; }

    public static async Task<TreeStore> OpenAsync(string workspace)
    {
        var path = Path.Combine(Path.GetFullPath(workspace), "store.git");
        var git = new GitCli(path);
        if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path);
            await git.ReadAsync("init", "--bare", "--quiet");
            // Background gc on a kernel-sized store would stall a run; maintenance is the operator's choice.
            await git.ReadAsync("config", "gc.auto", "0");
        }
        return new TreeStore(git);
    }

    /// <summary>The ref holding the pinned head of a tree; every later stage reads this, never the remote ref.</summary>
    public static string PinnedRef(string treeName) => $"refs/hmmci/heads/{treeName}";

    /// <summary>
    /// Fetches the tree's branch (and, for mainline, its tags) and pins its head. A first fetch of a kernel tree takes
    /// minutes, so git's progress goes to <paramref name="progress"/>, at most one line every few seconds.
    /// </summary>
    public async Task<FetchedTree> FetchAsync(TreeConfig tree, bool withTags, Action<string>? progress = null, CancellationToken cancellation = default)
    {
        var remote = $"remote.{tree.Name}";
        var trackingRef = $"refs/remotes/{tree.Name}/{tree.Branch}";
        await Git.ReadAsync("config", $"{remote}.url", tree.Url);
        await Git.ReadAsync("config", $"{remote}.fetch", $"+refs/heads/{tree.Branch}:{trackingRef}");
        await Git.ReadAsync("config", $"{remote}.tagOpt", withTags ? "--tags" : "--no-tags");
        BorrowLocalObjects(tree.Url);

        var throttle = new ProgressThrottle(TimeSpan.FromSeconds(5), progress ?? (_ => { }));
        var fetch = await Git.RunAsync(["fetch", "--progress", "--prune", "--no-write-fetch-head", tree.Name], cancellation: cancellation, progress: throttle.Offer);
        if (!fetch.Success)
            return await Unpinned(tree, $"fetching {tree.Url} failed: {GitCli.FirstLines(fetch.Error)}");

        var head = await Git.RunAsync(["rev-parse", "--verify", "--quiet", $"{trackingRef}^{{commit}}"]);
        if (!head.Success)
            return await Unpinned(tree, $"branch '{tree.Branch}' not found in {tree.Url}");

        var sha = head.Output.Trim();
        await Git.ReadAsync("update-ref", PinnedRef(tree.Name), sha);
        return new FetchedTree(tree, sha, null);
    }

    /// <summary>
    /// A tree that could not be fetched has no pinned head in this run: the one an earlier run pinned is removed,
    /// so no later stage (or a later run's Build) mistakes it for this run's head.
    /// </summary>
    private async Task<FetchedTree> Unpinned(TreeConfig tree, string error)
    {
        var delete = await Git.RunAsync(["update-ref", "-d", PinnedRef(tree.Name)]);
        if (!delete.Success)
            error += $"; the pinned head from an earlier run could not be removed: {GitCli.FirstLines(delete.Error)}";
        return new FetchedTree(tree, null, error);
    }

    /// <summary>
    /// A local mirror lends its objects to the store, as <c>git clone --reference</c> does: without this the
    /// first fetch of a kernel-sized local tree repacks it over the local transport (minutes); with it,
    /// the fetch copies nothing. The mirror must then not be pruned while the store uses it.
    /// </summary>
    private void BorrowLocalObjects(string url)
    {
        if (!Path.IsPathRooted(url)) return;
        var objects = new[] { Path.Combine(url, "objects"), Path.Combine(url, ".git", "objects") }.FirstOrDefault(Directory.Exists);
        if (objects is null) return;
        var alternates = Path.Combine(Git.GitDirectory, "objects", "info", "alternates");
        var listed = File.Exists(alternates) ? File.ReadAllLines(alternates) : [];
        if (listed.Contains(objects)) return;
        Directory.CreateDirectory(Path.GetDirectoryName(alternates)!);
        File.AppendAllLines(alternates, [objects]);
    }

    /// <summary>
    /// The topic's commits: those <paramref name="head"/> reaches and <paramref name="mainline"/> does not, parents
    /// first, from one <c>git log</c>. A fact of the pinned heads that Check, the bisects and the report all read.
    /// </summary>
    public async Task<IReadOnlyList<CommitRef>> CommitsAsync(string head, string mainline)
    {
        var fields = (await Git.ReadAsync(["log", "-z", "--topo-order", "--reverse", "--format=%H%x00%s", head, "--not", mainline, "--"])).Split('\0');
        var commits = new List<CommitRef>();
        for (var i = 0; i + 1 < fields.Length; i += 2) commits.Add(new CommitRef(fields[i].Trim(), fields[i + 1]));
        return commits;
    }

    /// <summary>The best common ancestor, or null for unrelated histories.</summary>
    public async Task<string?> MergeBaseAsync(string a, string b)
    {
        var result = await Git.RunAsync(["merge-base", a, b]);
        return result.Success ? result.Output.Trim() : null;
    }
}
