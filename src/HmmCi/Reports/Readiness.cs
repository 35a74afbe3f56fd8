namespace HmmCi.Reports;

/// <summary>
/// Decides the verdicts. A stage that was not asked for does not count against a tree; a stage that was
/// asked for and is not implemented does: nothing is called ready that was not checked.
/// </summary>
public static class Readiness
{
    public static void Decide(MergeReadinessReport report)
    {
        foreach (var tree in report.Trees)
        {
            tree.Reasons.Clear();
            tree.Reasons.AddRange(TreeReasons(tree));
            tree.Verdict = tree.Reasons.Count == 0 ? Verdict.Ready : Verdict.NotReady;
        }

        report.Reasons.Clear();
        if (report.Topic.Error is { } topicError) report.Reasons.Add($"topic {report.Topic.Name}: {topicError}");
        if (report.Mainline.Error is { } mainlineError) report.Reasons.Add($"mainline: {mainlineError}");
        foreach (var stage in report.Stages.Where(s => s.Status is StageStatus.Fail or StageStatus.NotImplemented))
            report.Reasons.Add($"stage {stage.Name}: {Describe(stage.Status)}{(stage.Reason is null ? "" : $" ({stage.Reason})")}");
        var errors = report.Checks.Count(c => c.Severity == Severity.Error);
        if (errors > 0) report.Reasons.Add($"{errors} topic check error{(errors == 1 ? "" : "s")}");
        foreach (var tree in report.Trees.Where(t => t.Verdict == Verdict.NotReady))
            report.Reasons.Add($"tree {tree.Name}: {string.Join("; ", tree.Reasons)}");
        // Linus would see these when he pulls the trees, even if every test merge is clean.
        foreach (var pair in report.MergeWindow.Conflicts.GroupBy(c => string.Join(" and ", c.Trees)))
            report.Reasons.Add($"merge window: {pair.Key} conflict in {string.Join(", ", pair.Select(c => c.Path).Distinct())}");
        if (report.MergeWindow.Status == MergeStatus.Error) report.Reasons.Add($"merge window: {report.MergeWindow.Reason}");
        report.Verdict = report.Reasons.Count == 0 ? Verdict.Ready : Verdict.NotReady;
    }

    private static IEnumerable<string> TreeReasons(TreeReport tree)
    {
        if (tree.Error is not null)
        {
            yield return tree.Error;
            yield break;
        }
        switch (tree.Merge.Status)
        {
            case MergeStatus.Conflict:
                yield return $"merge conflict in {string.Join(", ", tree.Merge.Conflicts.Select(c => c.Path))}";
                if (tree.Merge.Conflicts.Any(c => c.Resolution == ResolutionStatus.NoLongerApplies))
                    yield return $"the recorded resolution in {tree.Merge.Resolution} no longer applies";
                break;
            case MergeStatus.Error or MergeStatus.NotImplemented:
                yield return $"merge: {tree.Merge.Reason ?? Describe(tree.Merge.Status)}";
                break;
        }
        if (tree.Build.Status is StageStatus.Fail or StageStatus.NotImplemented)
            yield return $"build: {Describe(tree.Build.Status)}";
        if (tree.Selftests.Status is StageStatus.Fail or StageStatus.NotImplemented)
            yield return $"selftests: {Describe(tree.Selftests.Status)}";
    }

    private static string Describe(StageStatus status) => status switch
    {
        StageStatus.Fail => "failed",
        StageStatus.NotImplemented => "not implemented",
        _ => status.ToString().ToLowerInvariant(),
    };

    private static string Describe(MergeStatus status) => status == MergeStatus.NotImplemented ? "not implemented" : "error";
}
