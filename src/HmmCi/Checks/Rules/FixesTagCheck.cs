using HmmCi.Config;
using HmmCi.Trees;

namespace HmmCi.Checks.Rules;

/// <summary>
/// linux-next's check_fixes, problem by problem and in its order, one message per <c>Fixes:</c> line listing all
/// its problems; it stops at "No SHA1 recognised" and at "Target SHA1 does not exist". As in check_fixes, only a
/// target outside mainline (Linus' tree) is tested for ancestry, and only a target that the commit itself comes
/// before (<c>git rev-list --count target..commit</c> is 0) is "not an ancestor". HmmCi adds, marked as its own:
/// a target that is ambiguous or not a commit, and a target outside mainline and the topic that a downstream tree
/// (which will carry the commit) does not have. Reachability is read from the loaded history, with at most one
/// <c>git rev-list</c> for targets that none of the loaded heads reaches.
/// </summary>
public sealed class FixesTagCheck : ICheck
{
    public const string DoesNotExist = "Target SHA1 does not exist";
    public const string SubjectMismatch = "Subject does not match target commit subject";
    public const string NotAncestor = "Target is not an ancestor of this commit";
    public const string Own = "(HmmCi's own check)";

    public string Id => "fixes-tag";
    public Severity DefaultSeverity => Severity.Error;

    public async Task RunAsync(CheckContext context, CheckSink sink)
    {
        var tags = context.TopicCommits.Where(c => !c.IsMerge)
            .SelectMany(c => c.RawMessage.Split('\n').Where(FixesTag.IsFixesLine).Select(l => (Commit: c, Tag: FixesTag.Parse(l))))
            .ToList();
        if (tags.Count == 0) return;
        var resolved = await context.Store.ResolveAsync(tags.Select(t => t.Tag.Sha).OfType<string>().ToHashSet());
        var targets = resolved.Values.Where(r => r.Type == "commit").Select(r => r.Sha!).ToHashSet();
        var subjects = await context.Store.SubjectsAsync(targets);
        // Targets no loaded head reaches are in mainline, or (named by this one process) in none of the trees.
        var outside = await context.Store.UnreachableAsync(targets.Where(t => !context.Commits.ContainsKey(t)).ToList(), [context.MainlineHead, .. context.Heads]);

        foreach (var (commit, tag) in tags)
        {
            var problems = tag.Sha is null ? tag.Leading : TargetProblems(context, commit, tag, resolved[tag.Sha], subjects, outside);
            if (problems.Count > 0)
                sink.Problem(commit.Sha, $"In commit {commit}, Fixes tag \"{tag.Line}\" has these problem(s): {string.Concat(problems.Select(p => $" - {p}")).TrimStart()}");
        }
    }

    private static IReadOnlyList<string> TargetProblems(CheckContext context, CommitInfo commit, FixesTag tag, ResolvedObject target,
        IReadOnlyDictionary<string, string> subjects, IReadOnlySet<string> outside)
    {
        if (target.Type == ResolvedObject.Missing) return [DoesNotExist];
        if (target.Type == ResolvedObject.Ambiguous) return [$"Target SHA1 is ambiguous {Own}"];

        var problems = new List<string>(tag.Leading.Concat(tag.Shape));
        if (target.Type != "commit")
        {
            problems.Add($"Target SHA1 names a {target.Type}, not a commit {Own}");
            return problems;
        }
        var sha = target.Sha!;
        var subject = subjects.GetValueOrDefault(sha, "");
        if (!FixesTag.SubjectMatches(tag.Subject, subject))
            problems.Add($"{SubjectMismatch}; just use Fixes: {new CommitRef(sha, subject)}");

        var loaded = context.Commits.ContainsKey(sha);
        var inMainline = !loaded && !outside.Contains(sha);
        if (!inMainline && loaded && context.Reaches(sha, commit.Sha))
            problems.Add(NotAncestor);
        if (!inMainline && !context.TopicSet.Contains(sha))
        {
            var missingFrom = context.Downstreams.Where(t => !t.Reachable.Contains(sha)).Select(t => t.Name).ToList();
            if (missingFrom.Count > 0)
                problems.Add($"the target is not in the {Join(missingFrom)} tree{(missingFrom.Count == 1 ? "" : "s")}, which will carry this commit {Own}");
        }
        return problems;
    }

    internal static string Join(IReadOnlyList<string> names) =>
        names.Count <= 1 ? string.Concat(names) : $"{string.Join(", ", names.SkipLast(1))} and {names[^1]}";
}
