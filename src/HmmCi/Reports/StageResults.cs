using HmmCi.Trees;

namespace HmmCi.Reports;

/// <summary>
/// Writes a stage's typed result into the report. The report depends on the stages' results, never the reverse,
/// so a stage's namespace needs nothing of Reports.
/// </summary>
public static class StageResults
{
    /// <summary>What Fetch pinned, into the report's topic, mainline and trees (matched by name).</summary>
    public static void Apply(this MergeReadinessReport report, FetchResult fetch)
    {
        (report.Topic.Head, report.Topic.Error, report.Topic.Base) = (fetch.Topic.Head, fetch.TopicError, fetch.TopicBase);
        report.Topic.Commits.AddRange(fetch.TopicCommits);
        (report.Mainline.Head, report.Mainline.Error) = (fetch.Mainline.Head, fetch.Mainline.Error);
        foreach (var fetched in fetch.Trees)
        {
            var tree = report.Trees.Single(t => t.Name == fetched.Tree.Name);
            (tree.Head, tree.Error) = (fetched.Head, fetched.Error);
        }
    }
}
