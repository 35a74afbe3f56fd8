using HmmCi.Config;
using HmmCi.Reports;

namespace HmmCi.Checks.Rules;

/// <summary>
/// linux-next's duplicate-patch check: a topic commit whose patch (by <c>git patch-id --stable</c>) is also in a
/// downstream tree as a different commit. Both copies would reach mainline. Listed under <c>trees[].duplicates</c>.
/// A copy that came from an earlier version of the topic is a stale copy instead, reported once by that rule.
/// </summary>
public sealed class DuplicatesCheck : ICheck
{
    public string Id => "duplicates";
    public Severity DefaultSeverity => Severity.Warning;

    public Task RunAsync(CheckContext context, CheckSink sink)
    {
        foreach (var copy in DownstreamCopies.Find(context).Where(c => c.SamePatch && !c.FromEarlierTopic))
        {
            var topicCommit = copy.TopicCommit!;
            sink.Duplicate(copy.Tree.Name, new DuplicateCommit(topicCommit.Sha, copy.Copy.Sha, topicCommit.Subject));
            // linux-next's wording, one finding per commit.
            sink.Problem(topicCommit.Sha, $"The following commit is also in the {copy.Tree.Name} tree as a different commit (but the same patch): "
                + $"{topicCommit}. This is commit {copy.Copy} in the {copy.Tree.Name} tree.");
        }
        foreach (var (name, error) in context.UnavailableTrees)
            sink.Skipped($"the {name} tree could not be fetched ({error})");
        return Task.CompletedTask;
    }
}
