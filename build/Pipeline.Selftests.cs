using HmmCi.Build.Engine;
using HmmCi.Processes;
using HmmCi.Selftests;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Selftests => _ => _
        .Description("Boot each merged kernel and its baseline in QEMU, run hmm-tests and report regressions with their culprit")
        .DependsOn(Build)
        // The Build stage's incremental machinery serves the bisect (IBisectBuilder) once it is wired here.
        .Executes(cancellation => new SelftestStage(Settings.Selftests, Output,
                SelftestStage.MachineFor(Settings.Selftests, ProcessRunner.Default, Host), bisect: null, log: Host)
            .RunAsync(ReadinessReport, cancellation));
}
