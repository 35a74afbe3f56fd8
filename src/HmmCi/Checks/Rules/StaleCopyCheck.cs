using HmmCi.Reports;

namespace HmmCi.Checks.Rules;

/// <summary>
/// A downstream tree that pulled a version of the topic that was later rewritten now carries the old commits,
/// and mainline would get both versions. See <see cref="DownstreamCopies"/> for how an earlier version is told
/// apart from a duplicate.
/// </summary>
public sealed class StaleCopyCheck : ICheck
{
    public string Id => "stale-copy";
    public Severity DefaultSeverity => Severity.Error;

    public Task RunAsync(CheckContext context, CheckSink sink)
    {
        var copies = DownstreamCopies.Find(context);
        foreach (var copy in copies.Where(c => c.FromEarlierTopic))
            sink.Problem(copy.TopicCommit.Sha, $"The {copy.Tree.Name} tree contains {copy.Copy}, an earlier version of {copy.TopicCommit} "
                + $"({(copy.SamePatch ? "same patch-id" : "same subject and author, different patch")}): it pulled a version of the {context.TopicName} topic that was later rewritten");

        // Old published commits the new topic has no counterpart for at all.
        var matched = copies.Select(c => (c.Tree.Name, c.Copy.Sha)).ToHashSet();
        foreach (var old in context.Published?.Previous?.Commits ?? [])
            foreach (var tree in context.Downstreams.Where(t => t.Commits.Contains(old.Sha) && !matched.Contains((t.Name, old.Sha))))
                sink.Problem(null, $"The {tree.Name} tree contains {CommitInfo.Cite(old.Sha, old.Subject)} from an earlier version of the {context.TopicName} topic, which no longer has it");

        foreach (var (name, error) in context.UnavailableTrees)
            sink.Skipped($"the {name} tree could not be fetched ({error})");
        return Task.CompletedTask;
    }
}
