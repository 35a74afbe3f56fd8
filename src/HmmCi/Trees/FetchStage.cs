using HmmCi.Config;

namespace HmmCi.Trees;

/// <summary>
/// What Fetch pinned: the topic's, mainline's and each downstream tree's head (or why it could not be fetched),
/// the topic's base on mainline and the topic's commits beyond it. Every later stage reads these, never a remote.
/// </summary>
public sealed record FetchResult(
    FetchedTree Topic, FetchedTree Mainline, IReadOnlyList<FetchedTree> Trees, string? TopicBase, IReadOnlyList<CommitRef> TopicCommits)
{
    private const string NoCommonHistory = "the topic has no history in common with mainline";

    /// <summary>Why the topic cannot be checked: it could not be fetched, or it shares no history with mainline.</summary>
    public string? TopicError => Topic.Error ?? (Topic.Ok && Mainline.Ok && TopicBase is null ? NoCommonHistory : null);
}

/// <summary>
/// Fetches the topic, mainline (with its tags) and the downstream trees into one store and pins their heads.
/// A tree that cannot be fetched fails alone, in the remote's words; the others are still pinned.
/// </summary>
public sealed class FetchStage(TreeStore store, IStageLog log)
{
    public async Task<FetchResult> RunAsync(TreeConfig topic, TreeConfig mainline, IReadOnlyList<TreeConfig> trees, CancellationToken cancellation = default)
    {
        var topicHead = await FetchOne(topic, withTags: false, cancellation);
        var mainlineHead = await FetchOne(mainline, withTags: true, cancellation);
        var treeHeads = new List<FetchedTree>();
        foreach (var tree in trees) treeHeads.Add(await FetchOne(tree, withTags: false, cancellation));

        string? topicBase = null;
        IReadOnlyList<CommitRef> commits = [];
        if (topicHead.Ok && mainlineHead.Ok)
        {
            topicBase = await store.MergeBaseAsync(topicHead.Head!, mainlineHead.Head!);
            if (topicBase is not null) commits = await store.CommitsAsync(topicHead.Head!, mainlineHead.Head!);
        }
        return new FetchResult(topicHead, mainlineHead, treeHeads, topicBase, commits);
    }

    private async Task<FetchedTree> FetchOne(TreeConfig tree, bool withTags, CancellationToken cancellation)
    {
        log.Info($"fetching {tree.Name} ({tree.Branch}) from {tree.Url}");
        var fetched = await store.FetchAsync(tree, withTags, line => log.Info($"  {tree.Name}: {line}"), cancellation);
        if (fetched.Ok) log.Info($"  {tree.Name} is at {fetched.Head![..12]}");
        else log.Error($"{tree.Name}: {fetched.Error}");
        return fetched;
    }
}
