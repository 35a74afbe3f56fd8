using HmmCi.Build.Engine;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Check => _ => _
        .Description("Check the topic's discipline: sign-offs, Fixes: tags, base, scope, rewritten history, duplicates")
        .DependsOn(Fetch)
        .NotImplemented("topic discipline checks are not built yet");
}
