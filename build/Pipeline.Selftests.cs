using HmmCi.Build.Engine;
using HmmCi.Processes;
using HmmCi.Selftests;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Selftests => _ => _
        .Description("Boot each merged kernel and its baseline in QEMU, run hmm-tests and report regressions with their culprit")
        .DependsOn(Build)
        // Bisect steps are incremental builds through the Build stage as it ran.
        .Executes(cancellation => new SelftestStage(Settings.Selftests, Output,
                SelftestStage.MachineFor(Settings.Selftests, ProcessRunner.Default, Host),
                bisect: _kernelBuild is { } builds ? new HmmCi.Kernel.KernelBisectBuilder(builds, ReadinessReport, Store.Git.GitDirectory, ProcessRunner.Default) : null,
                log: Host)
            .RunAsync(ReadinessReport, cancellation));
}
