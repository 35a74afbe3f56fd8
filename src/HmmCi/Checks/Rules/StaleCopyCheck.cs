using HmmCi.Config;

namespace HmmCi.Checks.Rules;

/// <summary>
/// A downstream tree that pulled a version of the topic that was later rewritten now carries the old commits,
/// and mainline would get both versions. Reported only on evidence that the tree merged an earlier version of the
/// topic (see <see cref="DownstreamCopies"/>), and the message names that evidence.
/// </summary>
public sealed class StaleCopyCheck : ICheck
{
    public string Id => "stale-copy";
    public Severity DefaultSeverity => Severity.Error;

    public Task RunAsync(CheckContext context, CheckSink sink)
    {
        var publishedHead = context.Published?.Previous is { } previous
            ? previous.Commits.FirstOrDefault(c => c.Sha == previous.Head) is { } h ? CommitInfo.Cite(h.Sha, h.Subject) : previous.Head[..12]
            : "";
        foreach (var copy in DownstreamCopies.Find(context).Where(c => c.FromEarlierTopic))
        {
            var source = copy.Evidence == StaleEvidence.TopicMerge
                ? $"its merge {copy.Merge} pulled a version of the {context.TopicName} topic that was later rewritten"
                : $"it pulled the {context.TopicName} topic's published head {publishedHead}, which was later rewritten";
            if (copy.TopicCommit is not { } topicCommit)
                sink.Problem(null, $"The {copy.Tree.Name} tree contains {copy.Copy} from an earlier version of the {context.TopicName} topic, which no longer has it: {source}");
            else
                sink.Problem(topicCommit.Sha, $"The {copy.Tree.Name} tree contains {copy.Copy}, an earlier version of {topicCommit} ({How(copy)}): {source}");
        }
        foreach (var (name, error) in context.UnavailableTrees)
            sink.Skipped($"the {name} tree could not be fetched ({error})");
        return Task.CompletedTask;
    }

    private static string How(DownstreamCopy copy) => (copy.SamePatch, copy.Evidence) switch
    {
        (true, _) => "same patch-id",
        (false, StaleEvidence.TopicMerge) => "same subject, author and date, different patch",
        _ => "same subject and author, different patch",
    };
}
