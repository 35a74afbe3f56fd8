using HmmCi.Build.Engine;
using HmmCi.Kernel;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Build => _ => _
        .Description("Build the merged kernels and their baselines in containers, with hmm-tests, and compare warnings")
        .DependsOn(Merge)
        .OnlyWhen(() => FetchRan, "Fetch did not run")
        .Executes(() => new KernelBuildStage(
                new KernelBuildStage.Settings(Settings, Store.Git.GitDirectory, Path.GetFullPath(Workspace), Path.GetFullPath(Output), RunIdentity.New()),
                Processes.ProcessRunner.Default, Host.Info)
            .RunAsync(ReadinessReport, CancellationToken.None));
}
