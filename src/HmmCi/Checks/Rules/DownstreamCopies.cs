using System.Text.RegularExpressions;

namespace HmmCi.Checks.Rules;

/// <summary>How a downstream commit is known to come from an earlier version of the topic.</summary>
public enum StaleEvidence
{
    /// <summary>The head HmmCi last recorded as published had it, and the topic no longer does.</summary>
    PublishedHead,
    /// <summary>It came in through a downstream merge whose message names the topic, and matches a topic commit.</summary>
    TopicMerge,
}

/// <summary>
/// A downstream commit that is another SHA of a topic commit (<see cref="TopicCommit"/>; null for an old commit
/// the topic dropped). <see cref="Evidence"/> is null for a duplicate: the same patch applied to the tree separately.
/// </summary>
public sealed record DownstreamCopy(DownstreamHistory Tree, CommitInfo Copy, CommitInfo? TopicCommit, bool SamePatch, StaleEvidence? Evidence, CommitInfo? Merge)
{
    public bool FromEarlierTopic => Evidence is not null;
}

/// <summary>
/// Finds downstream commits that are copies of topic commits under another SHA, and tells a stale copy (from an
/// earlier version of the topic that the tree pulled) from a duplicate. Only evidence that the tree merged an
/// earlier version of this topic makes a stale copy: the last published head had the commit, or a merge in the
/// tree whose message names the topic (<see cref="TopicMergeMessage"/>) brought in a commit matching a topic
/// commit by patch-id, or by subject, author and author date. Never a descendant of the topic head (later work on
/// top of it) and never the original of a commit the topic carries as "(cherry picked from commit …)". Without that
/// evidence a copy with the same patch-id is a duplicate, and a copy with only the same subject is nothing: that is
/// what every stable backport and every recurring subject looks like. Each downstream commit is reported once.
/// </summary>
public static partial class DownstreamCopies
{
    public static IReadOnlyList<DownstreamCopy> Find(CheckContext context)
    {
        var topic = context.TopicCommits.Where(c => !c.IsMerge).ToList();
        var byPatchId = topic.Where(c => context.PatchIdOf(c.Sha) is not null).ToLookup(c => context.PatchIdOf(c.Sha)!);
        var bySubjectAuthor = topic.ToLookup(c => c.Subject);
        var byIdentity = topic.ToLookup(Identity);
        var picked = topic.SelectMany(c => CherryPicked().Matches(c.RawMessage).Select(m => m.Groups[1].Value.ToLowerInvariant())).ToList();
        var published = context.Published?.Previous?.Commits.Select(c => c.Sha).Where(s => !context.TopicSet.Contains(s)).ToHashSet() ?? [];

        var copies = new List<DownstreamCopy>();
        foreach (var tree in context.Downstreams)
        {
            var reported = new HashSet<string>();
            void Add(DownstreamCopy copy)
            {
                if (reported.Add(copy.Copy.Sha)) copies.Add(copy);
            }

            // (a) the published-history state.
            foreach (var sha in tree.Commits.Where(published.Contains))
            {
                var old = context.Commits[sha];
                var samePatch = context.PatchIdOf(sha) is { } id ? byPatchId[id].FirstOrDefault() : null;
                var counterpart = samePatch ?? bySubjectAuthor[old.Subject].FirstOrDefault(t => t.Author.SameAs(old.Author));
                Add(new DownstreamCopy(tree, old, counterpart, samePatch is not null, StaleEvidence.PublishedHead, null));
            }

            // (b) a merge of the topic, by its message, that brought in commits matching topic commits.
            foreach (var merge in tree.Commits.Select(s => context.Commits[s])
                         .Where(m => m.IsMerge && TopicMergeMessage.NamesTopic(m.Subject, context.TopicUrl, context.TopicBranch, context.TopicName)))
            {
                var mainline = CheckContext.Reach([merge.Parents[0]], context.Commits);
                foreach (var sha in CheckContext.Reach(merge.Parents.Skip(1), context.Commits, mainline).Where(tree.Commits.Contains))
                {
                    var old = context.Commits[sha];
                    if (old.IsMerge || context.TopicDescendants.Contains(sha) || picked.Any(p => sha.StartsWith(p, StringComparison.Ordinal))) continue;
                    var samePatch = context.PatchIdOf(sha) is { } id ? byPatchId[id].FirstOrDefault() : null;
                    var counterpart = samePatch ?? byIdentity[Identity(old)].FirstOrDefault();
                    if (counterpart is not null) Add(new DownstreamCopy(tree, old, counterpart, samePatch is not null, StaleEvidence.TopicMerge, merge));
                }
            }

            // Otherwise the same patch is a duplicate: applied to the tree separately (linux-next's check).
            foreach (var sha in tree.Commits.Where(s => !reported.Contains(s)))
                if (context.PatchIdOf(sha) is { } id && byPatchId[id].FirstOrDefault() is { } same)
                    Add(new DownstreamCopy(tree, context.Commits[sha], same, true, null, null));
        }
        // Stable order for the report: by tree, then by the topic commit's position.
        var position = context.TopicCommits.Select((c, i) => (c.Sha, i)).ToDictionary(x => x.Sha, x => x.i);
        var trees = context.Downstreams.Select((t, i) => (t.Name, i)).ToDictionary(x => x.Name, x => x.i);
        return copies.OrderBy(c => trees[c.Tree.Name]).ThenBy(c => c.TopicCommit is null ? int.MaxValue : position[c.TopicCommit.Sha])
            .ThenBy(c => c.Copy.Sha, StringComparer.Ordinal).ToList();
    }

    /// <summary>What a rebase keeps of a commit when its patch changes: subject, author and author date.</summary>
    private static (string, string, string, long) Identity(CommitInfo c) =>
        (c.Subject, c.Author.Name.ToLowerInvariant(), c.Author.Email.ToLowerInvariant(), c.AuthorDate);

    [GeneratedRegex(@"^\s*\(cherry picked from commit ([0-9a-fA-F]{7,40})\)\s*$", RegexOptions.Multiline)]
    private static partial Regex CherryPicked();
}
