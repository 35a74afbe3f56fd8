using HmmCi.Reports;

namespace HmmCi.Checks.Rules;

/// <summary>
/// linux-next's duplicate-patch check: a topic commit whose patch (by <c>git patch-id --stable</c>) is also in a
/// downstream tree as a different commit. Both copies would reach mainline. Listed under <c>trees[].duplicates</c>.
/// </summary>
public sealed class DuplicatesCheck : ICheck
{
    public string Id => "duplicates";
    public Severity DefaultSeverity => Severity.Warning;

    public Task RunAsync(CheckContext context, CheckSink sink)
    {
        foreach (var copy in DownstreamCopies.Find(context).Where(c => c.SamePatch && !c.FromEarlierTopic))
        {
            sink.Duplicate(copy.Tree.Name, new DuplicateCommit(copy.TopicCommit.Sha, copy.Copy.Sha, copy.TopicCommit.Subject));
            // linux-next's wording, one finding per commit.
            sink.Problem(copy.TopicCommit.Sha, $"The following commit is also in the {copy.Tree.Name} tree as a different commit (but the same patch): "
                + $"{copy.TopicCommit}. This is commit {copy.Copy} in the {copy.Tree.Name} tree.");
        }
        foreach (var (name, error) in context.UnavailableTrees)
            sink.Skipped($"the {name} tree could not be fetched ({error})");
        return Task.CompletedTask;
    }
}
