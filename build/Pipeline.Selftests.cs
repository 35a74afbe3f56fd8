using HmmCi.Build.Engine;
using HmmCi.Processes;
using HmmCi.Selftests;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Selftests => _ => _
        .Description("Boot each merged kernel and its baseline in QEMU, run hmm-tests and report regressions with their culprit")
        .DependsOn(Build)
        .Executes(async () =>
        {
            var machine = SelftestStage.MachineFor(Settings.Selftests, ProcessRunner.Default, Host.Info);
            // The Build stage's incremental machinery serves the bisect once it is wired here.
            var stage = new SelftestStage(Settings.Selftests, Output, machine, bisect: null, log: Host.Info);
            await stage.RunAsync(ReadinessReport, CancellationToken.None);
        });
}
