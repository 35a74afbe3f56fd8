using HmmCi.Config;

namespace HmmCi.Checks.Rules;

/// <summary>
/// A shared topic holds no merges except of mainline tags. A merge of a downstream tree is the worst case: every
/// other downstream that pulls the topic would get that tree too. A merged parent that is not among the loaded
/// (non-mainline) commits is in mainline, since the topic head reaches it; so no git process runs per merge.
/// </summary>
public sealed class NoBackMergesCheck : ICheck
{
    public string Id => "no-back-merges";
    public Severity DefaultSeverity => Severity.Error;

    public async Task RunAsync(CheckContext context, CheckSink sink)
    {
        foreach (var merge in context.TopicCommits.Where(c => c.IsMerge))
            foreach (var parent in merge.Parents.Skip(1))
            {
                var inMainline = !context.Commits.ContainsKey(parent);
                if (inMainline && context.Tags.ContainsKey(parent)) continue;

                // A tree that has the merged commit but not the merge had it first; a tree that has the merge
                // may only have the commit through the topic, so it is not counted.
                var carriers = context.Downstreams.Where(t => t.Reachable.Contains(parent) && !t.Reachable.Contains(merge.Sha)).Select(t => t.Name).ToList();
                var merged = context.Commits.TryGetValue(parent, out var p) ? p.ToString()
                    : CommitInfo.Cite(parent, (await context.Store.SubjectsAsync([parent])).GetValueOrDefault(parent, ""));
                sink.Problem(merge.Sha, (inMainline, carriers.Count) switch
                {
                    (false, > 0) => $"Merge commit {merge} merges the {FixesTagCheck.Join(carriers)} tree{(carriers.Count == 1 ? "" : "s")} into the {context.TopicName} topic "
                        + "(at " + merged + "): that would drag it into every other downstream tree",
                    (true, _) => $"Merge commit {merge} merges mainline at {merged}, which is not a release or -rc tag",
                    _ => $"Merge commit {merge} merges {merged}, which is not a mainline tag; a shared topic should only merge mainline release or -rc tags",
                });
            }
    }
}
