using HmmCi.Build.Engine;
using HmmCi.Kernel;
using HmmCi.Kernel.Focused;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Build => _ => _
        .Description("Build the merged kernels and their baselines in containers, with hmm-tests, compare warnings, and compile what the topic's changes reach under allmodconfig")
        .DependsOn(Merge)
        .OnlyWhen(() => FetchRan, "Fetch did not run")
        .Executes(async cancellation =>
        {
            var run = RunIdentity.New();
            var build = new KernelBuildStage(
                new KernelBuildStage.Settings(Settings, Store.Git.GitDirectory, Path.GetFullPath(Workspace), Path.GetFullPath(Output), run),
                Processes.ProcessRunner.Default, Host.Info);
            await build.RunAsync(ReadinessReport, cancellation);
            await new FocusedCompileStage(new FocusedCompileStage.Settings(Settings, Store.Git.GitDirectory, Path.GetFullPath(Workspace), Path.GetFullPath(Output), run, build.Runtime),
                Processes.ProcessRunner.Default, Host.Info).RunAsync(ReadinessReport, cancellation);
        });
}
