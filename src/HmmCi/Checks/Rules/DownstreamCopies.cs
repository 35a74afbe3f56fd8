namespace HmmCi.Checks.Rules;

/// <summary>A downstream commit that is a copy of a topic commit under another SHA.</summary>
public sealed record DownstreamCopy(DownstreamHistory Tree, CommitInfo Copy, CommitInfo TopicCommit, bool SamePatch, bool FromEarlierTopic);

/// <summary>
/// Finds downstream commits that match a topic commit by patch-id, or by subject and author, under another SHA,
/// and tells apart the two ways that happens. A copy is from an earlier version of the topic when it was in the
/// head HmmCi last recorded as published, or when it came into the tree by a merge (not on the tree's first-parent
/// line) and has the same committer as the topic commit: the topic maintainer committed both, and the tree pulled
/// them. Otherwise a same-patch copy is a duplicate: somebody applied the patch to the tree separately.
/// </summary>
public static class DownstreamCopies
{
    public static IReadOnlyList<DownstreamCopy> Find(CheckContext context)
    {
        var byPatchId = context.TopicCommits.Where(c => !c.IsMerge && context.PatchIdOf(c.Sha) is not null).ToLookup(c => context.PatchIdOf(c.Sha)!);
        var bySubjectAuthor = context.TopicCommits.Where(c => !c.IsMerge && c.Subject.Length > 0).ToLookup(c => c.Subject);
        var published = context.Published?.Previous?.Commits.Select(c => c.Sha).ToHashSet() ?? [];

        var copies = new List<DownstreamCopy>();
        foreach (var tree in context.Downstreams)
            foreach (var sha in tree.Commits)
            {
                var copy = context.Commits[sha];
                if (copy.IsMerge) continue;
                var samePatch = context.PatchIdOf(sha) is { } id ? byPatchId[id].ToList() : [];
                var matches = samePatch.Count > 0 ? samePatch : bySubjectAuthor[copy.Subject].Where(t => t.Author.SameAs(copy.Author)).ToList();
                foreach (var topicCommit in matches)
                {
                    var earlier = published.Contains(sha) || (!tree.FirstParent.Contains(sha) && copy.Committer.SameAs(topicCommit.Committer));
                    copies.Add(new DownstreamCopy(tree, copy, topicCommit, samePatch.Count > 0, earlier));
                }
            }
        // Stable order for the report: by tree, then by the topic commit's position.
        var position = context.TopicCommits.Select((c, i) => (c.Sha, i)).ToDictionary(x => x.Sha, x => x.i);
        return copies.OrderBy(c => context.Downstreams.ToList().IndexOf(c.Tree)).ThenBy(c => position[c.TopicCommit.Sha]).ThenBy(c => c.Copy.Sha, StringComparer.Ordinal).ToList();
    }
}
