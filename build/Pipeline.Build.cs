using HmmCi.Build.Engine;
using HmmCi.Kernel.Runtimes;
using HmmCi.Kernel;
using HmmCi.Kernel.Focused;
using HmmCi.Processes;

namespace HmmCi.Build;

public partial class Pipeline
{
    /// <summary>The Build stage as it ran, for the Selftests stage's bisect builds.</summary>
    KernelBuildStage? _kernelBuild;

    Target Build => _ => _
        .Description("Build the merged kernels and their baselines in containers, with hmm-tests, and compare warnings; then the focused allmodconfig compile of what the topic changed (semantic conflicts)")
        .DependsOn(Merge)
        .OnlyWhen(() => FetchRan, "Fetch did not run")
        .Executes(async cancellation =>
        {
            var run = RunIdentity.New();
            // Kept to the end of the run, not of this target: the Selftests stage's bisect builds run in this run's containers too.
            Cleanup.Register($"remove the build containers of run {run.Id}", _ => Containers.Installed(ProcessRunner.Default, run).RemoveRunAsync(run.Id));
            var build = _kernelBuild = new KernelBuildStage(new KernelBuildStage.Settings(Settings, Store.Git.GitDirectory, Path.GetFullPath(Workspace), Path.GetFullPath(Output), run),
                ProcessRunner.Default, Host.Info);
            await build.RunAsync(ReadinessReport, cancellation);
            await new FocusedCompileStage(new FocusedCompileStage.Settings(Settings, Store.Git.GitDirectory, Path.GetFullPath(Workspace), Path.GetFullPath(Output), run, build.Runtime),
                ProcessRunner.Default, Host.Info).RunAsync(ReadinessReport, cancellation);
        });
}
