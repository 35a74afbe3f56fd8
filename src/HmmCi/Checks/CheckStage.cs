using HmmCi.Config;
using HmmCi.Reports;

namespace HmmCi.Checks;

/// <summary>
/// The Check stage: loads the topic and downstream history from the pinned heads and the topic's commits in this
/// run's report (Fetch lists them), runs every rule hmmci.yml leaves enabled, and writes the topic's base tag, the
/// findings and each tree's duplicates into the report; then remembers the topic head as published (unless a pulled
/// rewrite keeps the old one).
/// </summary>
/// <param name="history">The object store's history.</param>
/// <param name="config">hmmci.yml's <c>checks:</c> section.</param>
/// <param name="log">Hears progress, and each finding as an error or a warning.</param>
public sealed class CheckStage(StoreHistory history, ChecksConfig config, IStageLog log)
{
    /// <param name="report">This run's report: the pinned heads are read from it, the checks' results written into it.</param>
    /// <param name="publishedState">The published-history state file (<c>--published-state</c>).</param>
    /// <param name="acceptRewrite">Remember a rewritten topic that a downstream tree had pulled as published (<c>--accept-rewrite</c>).</param>
    public async Task RunAsync(MergeReadinessReport report, string publishedState, bool acceptRewrite, CancellationToken cancellation = default)
    {
        var published = config.Rule("published-history").Enabled
            ? await PublishedHistory.LoadAsync(publishedState, history, report.Topic.Name)
            : null;
        var context = await CheckContext.LoadAsync(history, report, config, published);
        log.Info($"checking {context.TopicCommits.Count} topic commits against {context.Downstreams.Count} downstream trees");

        cancellation.ThrowIfCancellationRequested();
        var results = await CheckRunner.RunAsync(context, log.Info);
        report.Topic.BaseTag = context.BaseTag;
        report.Checks.AddRange(results.Findings);
        foreach (var (tree, duplicate) in results.Duplicates)
            report.Trees.Single(t => t.Name == tree).Duplicates.Add(duplicate);
        foreach (var finding in results.Findings)
        {
            var line = finding.Message.StartsWith(finding.Check + ":", StringComparison.Ordinal) ? finding.Message : $"{finding.Check}: {finding.Message}";
            if (finding.Severity == Severity.Error) log.Error(line); else log.Warning(line);
        }

        if (published is null) return;
        // Only a rewrite that a downstream tree had pulled keeps the old head; an unpulled one was a warning, reported once.
        if (results.TopicRewritten && !acceptRewrite)
        {
            log.Info($"keeping {published.Previous!.Head[..12]} as the published head; run with --accept-rewrite to record the new head");
            return;
        }
        await published.RecordAsync(history, context.TopicHead,
            context.TopicCommits.Select(c => new PublishedCommit(c.Sha, context.PatchIdOf(c.Sha), c.Subject)).ToList());
        log.Info($"recorded {context.TopicHead[..12]} as the published head of {context.TopicName} in {published.StatePath}");
    }
}
