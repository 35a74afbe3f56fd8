namespace HmmCi.Reports;

/// <summary>
/// Decides the verdicts. Ready means verified: the topic checks, the test merges, the builds and the selftests
/// all ran and passed. A stage that was skipped, not asked for, or not implemented leaves the verdict not-ready,
/// with the reason, so a partial run never reads as a green light.
/// </summary>
public static class Readiness
{
    /// <summary>The pipeline targets whose results a verdict stands on.</summary>
    public static readonly IReadOnlyList<string> VerifyingStages = ["Check", "Merge", "Build", "Selftests"];

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
        foreach (var name in VerifyingStages)
        {
            var stage = report.Stages.FirstOrDefault(s => s.Name == name);
            if (stage is null) report.Reasons.Add($"stage {name}: did not run");
            else if (stage.Status is StageStatus.Skipped or StageStatus.NotRun)
                report.Reasons.Add($"stage {name}: {Describe(stage.Status)}{(stage.Reason is null ? "" : $" ({stage.Reason})")}");
        }
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
            case MergeStatus.Clean or MergeStatus.Resolved:
                break;
            case MergeStatus.Conflict:
                yield return $"merge conflict in {string.Join(", ", tree.Merge.Conflicts.Select(c => c.Path))}";
                if (tree.Merge.Conflicts.Any(c => c.Resolution == ResolutionStatus.NoLongerApplies))
                    yield return $"the recorded resolution in {tree.Merge.Resolution} no longer applies";
                break;
            default:
                yield return $"merge: {Describe(tree.Merge.Status)}{(tree.Merge.Reason is null ? "" : $" ({tree.Merge.Reason})")}";
                break;
        }
        if (tree.Build.Status != StageStatus.Pass) yield return $"build: {Describe(tree.Build)}";
        if (tree.Selftests.Status != StageStatus.Pass) yield return $"selftests: {Describe(tree.Selftests)}";
    }

    private static string Describe(BuildReport build) => Describe(build.Status) + (build.Reason is null ? "" : $" ({build.Reason})");

    private static string Describe(SelftestsReport selftests) => Describe(selftests.Status) + (selftests.Reason is null ? "" : $" ({selftests.Reason})");

    private static string Describe(StageStatus status) => status switch
    {
        StageStatus.Fail => "failed",
        StageStatus.NotImplemented => "not implemented",
        StageStatus.NotRun => "not run",
        _ => WireNames.Of(status),
    };

    private static string Describe(MergeStatus status) => status == MergeStatus.NotImplemented ? "not implemented" : WireNames.Of(status);
}
