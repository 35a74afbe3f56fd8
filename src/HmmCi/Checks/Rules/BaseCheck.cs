using HmmCi.Config;

namespace HmmCi.Checks.Rules;

/// <summary>
/// A shared topic is based on a mainline release or -rc tag that every downstream tree already contains;
/// otherwise merging it drags untested mainline commits into that tree, which Linus asks people not to do.
/// Any tag of mainline at the base passes, whatever its form (v6.1, v6.2-rc1, v13). A few git processes per
/// downstream tree, none per commit.
/// </summary>
public sealed class BaseCheck : ICheck
{
    public string Id => "base";
    public Severity DefaultSeverity => Severity.Error;

    public async Task RunAsync(CheckContext context, CheckSink sink)
    {
        var baseName = context.BaseTag ?? context.Base[..12];
        if (context.BaseTag is null)
        {
            var subject = (await context.Store.SubjectsAsync([context.Base])).GetValueOrDefault(context.Base, "");
            var nearest = await context.Store.DescribeAsync(context.Base);
            sink.Problem(null, $"The {context.TopicName} topic is based on {CommitInfo.Cite(context.Base, subject)}, which is not a mainline release or -rc tag"
                + (nearest is { Distance: > 0 } n ? $" (it is {n.Distance} commit{(n.Distance == 1 ? "" : "s")} after {n.Tag})" : ""));
        }
        foreach (var tree in context.Downstreams)
        {
            var dragged = await context.Store.CountAsync(context.Base, "--not", tree.Head);
            if (dragged == 0) continue;
            if (!await context.Store.HaveCommonHistoryAsync(tree.Head, context.MainlineHead))
            {
                // Counting "dragged" commits would count all of mainline's history up to the base; say what is wrong instead.
                sink.Problem(null, $"The {tree.Name} tree has no history in common with mainline, so it cannot contain the {context.TopicName} topic's base {baseName}");
                continue;
            }
            sink.Problem(null, $"The {tree.Name} tree does not contain the {context.TopicName} topic's base {baseName}: "
                + $"merging the topic would drag {dragged} mainline commit{(dragged == 1 ? "" : "s")} into it");
        }
        foreach (var (name, error) in context.UnavailableTrees)
            sink.Skipped($"the {name} tree could not be fetched ({error})");
    }
}
