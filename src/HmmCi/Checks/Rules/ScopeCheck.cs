using HmmCi.Config;

namespace HmmCi.Checks.Rules;

/// <summary>
/// A shared topic stays small: commits touching paths outside its configured scope are listed, and each other
/// subsystem they touch (from the topic head's MAINTAINERS, matched as get_maintainer.pl does) must have acked
/// or reviewed them through one of its M: or R: people, or signed them off through one of its M: people (the
/// subsystem maintainer applied or passed on the patch, as the RDMA maintainer does for drivers/infiniband on hmm).
/// </summary>
public sealed class ScopeCheck : ICheck
{
    private const int ListedPaths = 10;

    public string Id => "scope";
    public Severity DefaultSeverity => Severity.Warning;

    public async Task RunAsync(CheckContext context, CheckSink sink)
    {
        if (context.Config.Scope.Count == 0)
        {
            sink.Skipped("no scope globs configured (checks.scope in hmmci.yml)");
            return;
        }
        var scope = new ScopeGlob(context.Config.Scope);
        Maintainers? maintainers = null;
        var maintainersLoaded = false;
        foreach (var commit in context.TopicCommits.Where(c => !c.IsMerge))
        {
            var outside = context.Files.GetValueOrDefault(commit.Sha, []).Where(f => !scope.Contains(f)).Distinct().ToList();
            if (outside.Count == 0) continue;
            sink.Problem(commit.Sha, $"Commit {commit} touches files outside the {context.TopicName} topic's scope: {ListPaths(outside)}");

            if (!maintainersLoaded)
            {
                maintainersLoaded = true;
                maintainers = await LoadMaintainersAsync(context, sink);
            }
            if (maintainers is null) continue;

            var acks = commit.Message.Find("Acked-by").Concat(commit.Message.Find("Reviewed-by")).Select(t => Person.Parse(t.Value)).ToList();
            var signoffs = commit.Message.Find("Signed-off-by").Select(t => Person.Parse(t.Value)).ToList();
            var touched = outside.SelectMany(path => maintainers.SectionsFor(path).Where(s => !s.IsCatchAll).Select(s => (Section: s, Path: path)))
                .GroupBy(x => x.Section, x => x.Path);
            foreach (var section in touched)
            {
                if (section.Key.People.Count == 0
                    || acks.Any(a => section.Key.People.Any(a.SameAs))
                    || signoffs.Any(s => section.Key.MaintainerPeople.Any(s.SameAs))) continue;
                sink.Problem(commit.Sha, $"Commit {commit} touches {section.Key.Title} ({ListPaths(section.ToList())}) without an Acked-by or Reviewed-by "
                    + $"from its maintainers or reviewers, or a Signed-off-by from its maintainers: {string.Join(", ", section.Key.People)}");
            }
        }
    }

    private static async Task<Maintainers?> LoadMaintainersAsync(CheckContext context, CheckSink sink)
    {
        var text = await context.Store.ShowAsync(context.TopicHead, "MAINTAINERS");
        if (text is null)
        {
            sink.Skipped($"MAINTAINERS not found in the {context.TopicName} topic's head, so no subsystem acks were checked");
            return null;
        }
        try
        {
            var directories = await context.Store.DirectoriesAsync(context.TopicHead);
            return Maintainers.Parse(text, directories.Contains);
        }
        catch (FormatException e)
        {
            sink.Skipped($"{e.Message}, so no subsystem acks were checked");
            return null;
        }
    }

    private static string ListPaths(IReadOnlyList<string> paths) =>
        string.Join(", ", paths.Take(ListedPaths)) + (paths.Count > ListedPaths ? $" and {paths.Count - ListedPaths} more" : "");
}
