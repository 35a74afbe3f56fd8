using HmmCi.Build.Engine;
using HmmCi.GitHub;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Publish => _ => _
        .Description("Publish the report: GitHub check run (or commit status) and pull request comment, report.eml by mail")
        .DependsOn(Report)
        .AssuredAfterFailure()
        .OnlyWhen(() => PublishStage.NothingToDo is null, "GITHUB_TOKEN is not set and hmmci.yml has no report.email.smtp")
        .Executes(async cancellation =>
        {
            foreach (var line in await PublishStage.RunAsync(ReadinessReport, cancellation)) Host.Info(line);
        });

    PublishStage PublishStage => new(Settings, ProcessEnvironment, Output);
}
