using HmmCi.Build.Engine;
using HmmCi.Checks;

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
        .Executes(cancellation => new CheckStage(new StoreHistory(Store.Git), Settings.Checks, Host).RunAsync(
            ReadinessReport, PublishedState.Length > 0 ? PublishedState : Path.Combine(Workspace, "published-history.json"), AcceptRewrite, cancellation));
}
