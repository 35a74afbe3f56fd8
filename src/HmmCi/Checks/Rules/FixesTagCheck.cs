using HmmCi.Reports;

namespace HmmCi.Checks.Rules;

/// <summary>
/// linux-next's check_fixes, extended to a shared topic: each Fixes: tag's form, and that its target is a commit
/// that exists in mainline, in the topic, or in every downstream tree that will carry the topic (else some tree
/// ends up with a tag pointing nowhere); as in check_fixes, the target must be an ancestor of the commit, wherever
/// it is (a mainline commit newer than the topic's base is not).
/// One finding per problem, in check_fixes' words.
/// </summary>
public sealed class FixesTagCheck : ICheck
{
    public const string DoesNotExist = "Target SHA1 does not exist";
    public const string Ambiguous = "Target SHA1 is ambiguous";
    public const string SubjectMismatch = "Subject does not match target commit subject";
    public const string NotAncestor = "Target is not an ancestor of this commit";

    public string Id => "fixes-tag";
    public Severity DefaultSeverity => Severity.Error;

    public async Task RunAsync(CheckContext context, CheckSink sink)
    {
        var tags = context.TopicCommits.Where(c => !c.IsMerge)
            .SelectMany(c => c.Message.Find("Fixes").Select(t => (Commit: c, Tag: FixesTag.Parse(t.Value))))
            .ToList();
        var resolved = await context.Store.ResolveAsync(tags.Select(t => t.Tag.Sha).OfType<string>().ToHashSet());
        var targets = resolved.Values.Where(r => r.Type == "commit").Select(r => r.Sha!).ToHashSet();
        var subjects = await context.Store.SubjectsAsync(targets);
        var whereabouts = new Dictionary<string, Whereabouts>();
        foreach (var target in targets) whereabouts[target] = await LocateAsync(context, target);

        foreach (var (commit, tag) in tags)
        {
            var problems = new List<string>(tag.Problems);
            if (tag.Sha is not null)
                problems.AddRange(await TargetProblemsAsync(context, commit, tag, resolved[tag.Sha], subjects, whereabouts));
            foreach (var problem in problems)
                sink.Problem(commit.Sha, $"In commit {commit}, Fixes tag \"{tag.Line}\" has these problem(s): - {problem}");
        }
    }

    private static async Task<IEnumerable<string>> TargetProblemsAsync(CheckContext context, CommitInfo commit, FixesTag tag,
        ResolvedObject target, IReadOnlyDictionary<string, string> subjects, Dictionary<string, Whereabouts> whereabouts)
    {
        if (target.Type == ResolvedObject.Missing) return [DoesNotExist];
        if (target.Type == ResolvedObject.Ambiguous) return [Ambiguous];
        if (target.Type != "commit") return [$"Target SHA1 names a {target.Type}, not a commit"];

        var problems = new List<string>();
        var sha = target.Sha!;
        if (tag.Subject is not null && !FixesTag.SubjectMatches(tag.Subject, subjects.GetValueOrDefault(sha, "")))
            problems.Add($"{SubjectMismatch} (the target is {CommitInfo.Cite(sha, subjects.GetValueOrDefault(sha, ""))})");
        var where = whereabouts[sha];
        if (!where.InMainline && !where.InTopic && where.MissingFrom.Count > 0)
            problems.Add(where.MissingFrom.Count == context.Downstreams.Count
                ? DoesNotExist + $" in mainline, the {context.TopicName} topic or any downstream tree"
                : $"Target SHA1 is not in mainline or the {context.TopicName} topic, and the {Join(where.MissingFrom)} tree{(where.MissingFrom.Count == 1 ? " does" : "s do")} not contain it");
        if (!await context.Store.IsAncestorAsync(sha, commit.Sha))
            problems.Add(NotAncestor);
        return problems;
    }

    private sealed record Whereabouts(bool InMainline, bool InTopic, IReadOnlyList<string> MissingFrom);

    private static async Task<Whereabouts> LocateAsync(CheckContext context, string target)
    {
        var missingFrom = new List<string>();
        foreach (var tree in context.Downstreams)
            if (!tree.Commits.Contains(target) && !context.TopicSet.Contains(target) && !await context.Store.IsAncestorAsync(target, tree.Head))
                missingFrom.Add(tree.Name);
        return new Whereabouts(await context.Store.IsAncestorAsync(target, context.MainlineHead), context.TopicSet.Contains(target), missingFrom);
    }

    internal static string Join(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names.SkipLast(1))} and {names[^1]}";
}
