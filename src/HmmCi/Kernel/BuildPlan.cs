using HmmCi.Reports;

namespace HmmCi.Kernel;

/// <summary>
/// Which trees this run builds, read from what Fetch and Merge left in the report: every downstream tree whose test
/// merge is clean or resolved (its head the baseline, the merge commit what is tested), every other tree with why it
/// is not built, and the topic and the merge window when the report has their commits. The Build stage and the
/// focused compile build from the same plan, so they never disagree on which trees are built.
/// </summary>
public sealed record BuildPlan(IReadOnlyList<BuildPlan.Downstream> Trees, IReadOnlyList<BuildPlan.Skip> Skipped, BuildPlan.TopicRange? Topic,
    string? MergeWindow, string? Mainline)
{
    /// <summary>A downstream tree to build: <paramref name="Head"/> is its baseline, <paramref name="Merge"/> this run's test merge.</summary>
    public sealed record Downstream(string Name, string Head, string Merge);

    /// <summary>A downstream tree not built, and why, in the words its build roll-up gives.</summary>
    public sealed record Skip(string Name, string Reason);

    /// <summary>The topic's head, built against its base.</summary>
    public sealed record TopicRange(string Name, string Base, string Head);

    /// <param name="report">The report as Merge leaves it.</param>
    /// <returns>The plan; <see cref="MergeWindow"/> and <see cref="Mainline"/> are the merge-window commit and the mainline head, each when present.</returns>
    public static BuildPlan Of(MergeReadinessReport report)
    {
        var trees = new List<Downstream>();
        var skipped = new List<Skip>();
        foreach (var tree in report.Trees)
        {
            string? skip = tree.Error is not null ? "the tree could not be fetched"
                : tree.Merge.Status is not (MergeStatus.Clean or MergeStatus.Resolved) ? $"the test merge is {WireNames.Of(tree.Merge.Status)}{Conflicts(tree.Merge)}: nothing to build"
                : tree.Head is null || tree.Merge.Commit is null ? "this run's report has no merge commit for the tree"
                : null;
            if (skip is not null) skipped.Add(new Skip(tree.Name, skip));
            else trees.Add(new Downstream(tree.Name, tree.Head!, tree.Merge.Commit!));
        }
        var topic = report.Topic is { Head: { } head, Base: { } topicBase } ? new TopicRange(report.Topic.Name, topicBase, head) : null;
        return new BuildPlan(trees, skipped, topic, report.MergeWindow.Commit, report.Mainline.Head);
    }

    static string Conflicts(MergeReport merge) =>
        merge.Conflicts.Count > 0 ? $" (conflict in {string.Join(", ", merge.Conflicts.Select(c => c.Path))})" : merge.Reason is { } r ? $" ({r})" : "";
}
