using HmmCi.Build.Engine;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Publish => _ => _
        .Description("Publish the report: GitHub check run, job summary, linux-next-style email, request-pull text")
        .DependsOn(Report)
        .AssuredAfterFailure()
        .NotImplemented("publishing is not built yet");
}
