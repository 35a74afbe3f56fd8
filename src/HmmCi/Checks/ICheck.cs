using HmmCi.Config;
using HmmCi.Reports;

namespace HmmCi.Checks;

/// <summary>One topic-discipline rule, like one NIPA test: an id for hmmci.yml and report.json, a default severity.</summary>
public interface ICheck
{
    string Id { get; }
    Severity DefaultSeverity { get; }
    /// <summary>Whether the rule has anything to look at when the topic has no commits beyond mainline.</summary>
    bool RunsOnEmptyTopic => false;
    Task RunAsync(CheckContext context, CheckSink sink);
}

/// <summary>Every rule, in the order they run and are documented (docs/checks.md).</summary>
public static class CheckCatalog
{
    public static IReadOnlyList<ICheck> All { get; } =
    [
        new Rules.SignedOffByCheck(),
        new Rules.FixesTagCheck(),
        new Rules.BaseCheck(),
        new Rules.NoBackMergesCheck(),
        new Rules.ScopeCheck(),
        new Rules.PublishedHistoryCheck(),
        new Rules.DuplicatesCheck(),
        new Rules.StaleCopyCheck(),
    ];
}

/// <summary>What the checks found, for the report.</summary>
public sealed class CheckResults
{
    public List<CheckFinding> Findings { get; } = [];
    public List<(string Tree, DuplicateCommit Duplicate)> Duplicates { get; } = [];
    /// <summary>
    /// The published-history rule found the remembered head missing from the new topic and a downstream tree
    /// already carries old commits, so the old head stays remembered until the rewrite is accepted.
    /// </summary>
    public bool TopicRewritten { get; set; }
}

/// <summary>Where one rule reports, at the severity hmmci.yml gives it.</summary>
public sealed class CheckSink(string check, Severity severity, CheckResults results)
{
    public CheckResults Results => results;

    public void Problem(string? commit, string message) => results.Findings.Add(new CheckFinding(check, severity, commit, message));

    /// <summary>A problem that is only ever a warning, whatever severity hmmci.yml gives the rule.</summary>
    public void Warning(string? commit, string message) => results.Findings.Add(new CheckFinding(check, Severity.Warning, commit, message));

    /// <summary>The rule (or part of it) could not run; always a warning, so a skip is never mistaken for a pass.</summary>
    public void Skipped(string reason) => results.Findings.Add(new CheckFinding(check, Severity.Warning, null, $"{check}: skipped: {reason}"));

    public void Duplicate(string tree, DuplicateCommit duplicate) => results.Duplicates.Add((tree, duplicate));
}

public static class CheckRunner
{
    /// <summary>Runs every rule hmmci.yml leaves enabled; <paramref name="progress"/> hears which ran and which did not.</summary>
    public static async Task<CheckResults> RunAsync(CheckContext context, Action<string> progress)
    {
        var results = new CheckResults();
        if (context.TopicCommits.Count == 0)
            progress($"nothing to check: the {context.TopicName} topic has no commits beyond mainline");
        foreach (var check in CheckCatalog.All)
        {
            var rule = context.Config.Rule(check.Id);
            if (!rule.Enabled)
            {
                progress($"{check.Id}: disabled in hmmci.yml");
                continue;
            }
            if (context.TopicCommits.Count == 0 && !check.RunsOnEmptyTopic) continue;
            var before = results.Findings.Count;
            await check.RunAsync(context, new CheckSink(check.Id, rule.Severity ?? check.DefaultSeverity, results));
            progress($"{check.Id}: {Count(results.Findings.Count - before)}");
        }
        return results;
    }

    private static string Count(int n) => n switch { 0 => "ok", 1 => "1 finding", _ => $"{n} findings" };
}
