using HmmCi.Build.Engine;
using HmmCi.Checks;
using HmmCi.Reports;

namespace HmmCi.Build;

public partial class Pipeline
{
    [Parameter("The JSON file remembering the topic head last published, for the published-history check; cache it between CI runs (default: <workspace>/published-history.json)")]
    public string PublishedState = "";

    [Parameter("Accept a rewritten topic that a downstream tree had pulled: remember its new head as published instead of keeping the old one")]
    public bool AcceptRewrite;

    Target Check => _ => _
        .Description("Check the topic's discipline: sign-offs, Fixes: tags, base, scope, rewritten history, duplicates")
        .DependsOn(Fetch)
        .OnlyWhen(() => FetchRan, "Fetch did not run")
        .OnlyWhen(() => ReadinessReport.Topic.Error is null && ReadinessReport.Mainline.Error is null, "the topic or mainline could not be fetched")
        .Executes(async () =>
        {
            var history = new StoreHistory(Store.Git);
            var published = Settings.Checks.Rule("published-history").Enabled
                ? await PublishedHistory.LoadAsync(PublishedState.Length > 0 ? PublishedState : Path.Combine(Workspace, "published-history.json"), history, Settings.Topic.Name)
                : null;
            var context = await CheckContext.LoadAsync(history, ReadinessReport, Settings.Checks, published);
            Host.Info($"checking {context.TopicCommits.Count} topic commits against {context.Downstreams.Count} downstream trees");

            var results = await CheckRunner.RunAsync(context, Host.Info);
            ReadinessReport.Topic.BaseTag = context.BaseTag;
            ReadinessReport.Topic.Commits.AddRange(context.TopicCommits.Select(c => new CommitRef(c.Sha, c.Subject)));
            ReadinessReport.Checks.AddRange(results.Findings);
            foreach (var (tree, duplicate) in results.Duplicates)
                ReadinessReport.Trees.Single(t => t.Name == tree).Duplicates.Add(duplicate);
            foreach (var finding in results.Findings)
            {
                var line = finding.Message.StartsWith(finding.Check + ":", StringComparison.Ordinal) ? finding.Message : $"{finding.Check}: {finding.Message}";
                if (finding.Severity == Severity.Error) Host.Error(line); else Host.Warning(line);
            }

            if (published is null) return;
            // Only a rewrite that a downstream tree had pulled keeps the old head; an unpulled one was a warning, reported once.
            if (results.TopicRewritten && !AcceptRewrite)
            {
                Host.Info($"keeping {published.Previous!.Head[..12]} as the published head; run with --accept-rewrite to record the new head");
                return;
            }
            await published.RecordAsync(history, context.TopicHead,
                context.TopicCommits.Select(c => new PublishedCommit(c.Sha, context.PatchIdOf(c.Sha), c.Subject)).ToList());
            Host.Info($"recorded {context.TopicHead[..12]} as the published head of {context.TopicName} in {published.StatePath}");
        });
}
