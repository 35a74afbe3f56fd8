using System.Text.RegularExpressions;
using HmmCi.Config;
using HmmCi.Reports;

namespace HmmCi.Checks;

/// <summary>
/// A downstream tree as the checks see it: <see cref="Reachable"/> is every commit of it not in mainline (topic
/// commits it merged included), <see cref="Commits"/> those that are not the topic's.
/// </summary>
public sealed record DownstreamHistory(string Name, string Head, IReadOnlySet<string> Reachable, IReadOnlySet<string> Commits);

/// <summary>
/// Everything the rules read, loaded from the pinned heads with a fixed number of git processes: one log of
/// the topic, the downstream trees and the last published head (all --not mainline), one patch-id pass over
/// the same range, one name-only log of the topic and one tag listing. Reachability is then worked out in memory.
/// </summary>
public sealed partial class CheckContext
{
    public required string TopicName { get; init; }
    /// <summary>Where the topic is published (hmmci.yml's topic url and branch), to recognise downstream merges of it.</summary>
    public required string TopicUrl { get; init; }
    public required string TopicBranch { get; init; }
    public required string TopicHead { get; init; }
    public required string MainlineHead { get; init; }
    /// <summary>The topic's merge base with mainline.</summary>
    public required string Base { get; init; }
    /// <summary>The topic's commits (reachable from its head, not from mainline), parents first, as Fetch listed them in the report.</summary>
    public required IReadOnlyList<CommitInfo> TopicCommits { get; init; }
    public required IReadOnlySet<string> TopicSet { get; init; }
    public required IReadOnlyList<DownstreamHistory> Downstreams { get; init; }
    /// <summary>Downstream trees that could not be fetched, with why; rules that need them say they skipped them.</summary>
    public required IReadOnlyList<(string Name, string Error)> UnavailableTrees { get; init; }
    /// <summary>Every loaded commit (topic, downstream and last published, none in mainline) by SHA.</summary>
    public required IReadOnlyDictionary<string, CommitInfo> Commits { get; init; }
    /// <summary>The heads the loaded commits were read from (topic, downstream trees, last published), mainline excluded.</summary>
    public required IReadOnlyList<string> Heads { get; init; }
    /// <summary>Loaded commits that have the topic head as an ancestor: later work on top of the topic, never a copy of it.</summary>
    public required IReadOnlySet<string> TopicDescendants { get; init; }
    public required IReadOnlyDictionary<string, string> PatchIds { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Files { get; init; }
    public required IReadOnlyDictionary<string, IReadOnlyList<string>> Tags { get; init; }
    public required ChecksConfig Config { get; init; }
    public required StoreHistory Store { get; init; }
    /// <summary>The last published head, or null when disabled; its commits are always filled.</summary>
    public required PublishedHistory? Published { get; init; }

    /// <summary>The mainline tag at the topic's base, whatever its form (v6.1, v6.2-rc1, v13), release-style names first.</summary>
    public string? BaseTag => Tags.GetValueOrDefault(Base)?.OrderBy(t => IsReleaseTag(t) ? 0 : 1).ThenBy(t => t, StringComparer.Ordinal).FirstOrDefault();

    public static bool IsReleaseTag(string tag) => ReleaseTag().IsMatch(tag);

    public string? PatchIdOf(string sha) => PatchIds.GetValueOrDefault(sha);

    public static async Task<CheckContext> LoadAsync(StoreHistory store, MergeReadinessReport report, ChecksConfig config, PublishedHistory? published)
    {
        var topicHead = report.Topic.Head ?? throw new InvalidOperationException("the topic has no pinned head");
        var mainlineHead = report.Mainline.Head ?? throw new InvalidOperationException("mainline has no pinned head");
        var trees = report.Trees.Where(t => t.Error is null && t.Head is not null).ToList();
        var previousHead = published?.Previous?.Head;
        if (previousHead is not null && !await store.HasCommitAsync(previousHead)) previousHead = null;

        var heads = new[] { topicHead }.Concat(trees.Select(t => t.Head!)).Append(previousHead).OfType<string>().Distinct().ToList();
        string[] range = [.. heads, "--not", mainlineHead];
        // The four reads are independent: run them side by side (patch-ids, the longest, uses two processes).
        var patchIdsRead = store.PatchIdsAsync(range);
        var filesRead = store.FilesAsync([topicHead, "--not", mainlineHead]);
        var tagsRead = store.TagsAsync();
        var log = await store.LogAsync(range, mailmapFrom: topicHead);
        var commits = log.ToDictionary(c => c.Sha);
        var topicSet = report.Topic.Commits.Select(c => c.Sha).ToHashSet();
        var downstreams = trees.Select(t => Reach([t.Head!], commits))
            .Zip(trees, (reach, t) => new DownstreamHistory(t.Name, t.Head!, reach, reach.Where(c => !topicSet.Contains(c)).ToHashSet())).ToList();
        var patchIds = await patchIdsRead;

        if (published?.Previous is { CommitsKnown: false } previous)
        {
            // Only the store's ref was left: the old commits are whatever is still reachable from it.
            var old = previousHead is null ? [] : Reach([previousHead], commits);
            published.Previous = previous with
            {
                Commits = log.Where(c => old.Contains(c.Sha)).Select(c => new PublishedCommit(c.Sha, patchIds.GetValueOrDefault(c.Sha), c.Subject)).ToList(),
                CommitsKnown = true,
            };
        }

        return new CheckContext
        {
            TopicName = report.Topic.Name,
            TopicUrl = report.Topic.Url,
            TopicBranch = report.Topic.Branch,
            Heads = heads,
            TopicDescendants = Descendants(topicHead, log),
            TopicHead = topicHead,
            MainlineHead = mainlineHead,
            Base = report.Topic.Base ?? throw new InvalidOperationException("the topic has no merge base with mainline"),
            TopicCommits = report.Topic.Commits.Select(c => commits[c.Sha]).ToList(),
            TopicSet = topicSet,
            Downstreams = downstreams,
            UnavailableTrees = report.Trees.Where(t => t.Error is not null || t.Head is null).Select(t => (t.Name, t.Error ?? "not fetched")).ToList(),
            Commits = commits,
            PatchIds = patchIds,
            Files = await filesRead,
            Tags = await tagsRead,
            Config = config,
            Store = store,
            Published = published,
        };
    }

    /// <summary>Whether <paramref name="descendant"/> reaches <paramref name="ancestor"/> (or is it) through loaded commits.</summary>
    public bool Reaches(string descendant, string ancestor) => Reach([descendant], Commits, stopAt: ancestor).Contains(ancestor);

    /// <summary>The loaded commits reachable from <paramref name="heads"/>, minus <paramref name="exclude"/> and what only they reach.</summary>
    public static HashSet<string> Reach(IEnumerable<string> heads, IReadOnlyDictionary<string, CommitInfo> commits, IReadOnlySet<string>? exclude = null, string? stopAt = null)
    {
        var seen = new HashSet<string>();
        var stack = new Stack<string>(heads);
        while (stack.TryPop(out var sha))
        {
            if (!commits.TryGetValue(sha, out var commit) || (exclude?.Contains(sha) ?? false) || !seen.Add(sha)) continue;
            if (sha == stopAt) break;
            foreach (var parent in commit.Parents) stack.Push(parent);
        }
        return seen;
    }

    /// <summary>The commits of <paramref name="log"/> (parents first) that descend from <paramref name="head"/>.</summary>
    private static HashSet<string> Descendants(string head, IReadOnlyList<CommitInfo> log)
    {
        var descendants = new HashSet<string>();
        foreach (var commit in log)
            if (commit.Parents.Any(p => p == head || descendants.Contains(p)))
                descendants.Add(commit.Sha);
        return descendants;
    }

    [GeneratedRegex(@"^v\d+\.\d+(-rc\d+)?$")]
    private static partial Regex ReleaseTag();
}
