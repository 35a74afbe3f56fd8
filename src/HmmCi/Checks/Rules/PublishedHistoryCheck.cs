using HmmCi.Config;

namespace HmmCi.Checks.Rules;

/// <summary>
/// A shared topic is never rewritten once pulled: the head HmmCi last recorded must be contained in the new head
/// (or in mainline, once the topic went upstream and was restarted on a new base). When it is not, the rewrite
/// is reported with the downstream trees that already carry the old commits, and each old commit is mapped to
/// its new self by patch-id (or by subject when the patch changed). A rewrite is only an error when some
/// downstream tree contains a rewritten-away commit; when none does, nobody pulled them and it is a warning.
/// </summary>
public sealed class PublishedHistoryCheck : ICheck
{
    public string Id => "published-history";
    public Severity DefaultSeverity => Severity.Error;
    public bool RunsOnEmptyTopic => true;

    public async Task RunAsync(CheckContext context, CheckSink sink)
    {
        if (context.Published is not { } published) return;
        if (published.Problem is not null) sink.Skipped(published.Problem);
        if (published.Previous is not { } previous || previous.Head == context.TopicHead) return;
        if (await context.Store.IsAncestorAsync(previous.Head, context.TopicHead)
            || await context.Store.IsAncestorAsync(previous.Head, context.MainlineHead)) return;

        var old = previous.Commits.Where(c => !context.TopicSet.Contains(c.Sha)).ToList();
        var carriers = context.Downstreams.Where(t => old.Any(c => t.Commits.Contains(c.Sha))).Select(t => t.Name).ToList();
        var pulled = carriers.Count > 0;
        // Only a rewrite that some tree already pulled keeps the old head remembered (see Pipeline.Check).
        sink.Results.TopicRewritten = pulled;
        Action<string?, string> report = pulled ? sink.Problem : sink.Warning;
        var head = context.Commits.TryGetValue(context.TopicHead, out var h) ? h.ToString() : context.TopicHead[..12];
        var oldHead = previous.Commits.FirstOrDefault(c => c.Sha == previous.Head) is { } p ? CommitInfo.Cite(p.Sha, p.Subject) : previous.Head[..12];
        report(null, $"The {context.TopicName} topic was rewritten: its published head {oldHead} is not contained in the new head {head}; "
            + (pulled
                ? $"the {FixesTagCheck.Join(carriers)} tree{(carriers.Count == 1 ? " already contains" : "s already contain")} the old commits"
                : "the rewritten commits had not been pulled by any configured downstream tree yet"));

        var byPatchId = context.TopicCommits.Where(c => context.PatchIdOf(c.Sha) is not null).ToLookup(c => context.PatchIdOf(c.Sha)!);
        var bySubject = context.TopicCommits.ToLookup(c => c.Subject);
        foreach (var commit in old)
        {
            var cited = CommitInfo.Cite(commit.Sha, commit.Subject);
            if (commit.PatchId is not null && byPatchId[commit.PatchId].FirstOrDefault() is { } same)
                report(same.Sha, $"{cited} was rewritten as {same} (same patch-id)");
            else if (bySubject[commit.Subject].FirstOrDefault() is { } changed)
                report(changed.Sha, $"{cited} was rewritten as {changed} (the patch changed)");
            else
                report(null, $"{cited} was dropped from the {context.TopicName} topic");
        }
    }
}
