using HmmCi.Build.Engine;
using HmmCi.Kernel;
using HmmCi.Merging;
using HmmCi.Processes;
using HmmCi.Selftests;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Selftests => _ => _
        .Description("Boot each merged kernel and its baseline in QEMU, run hmm-tests and report regressions with their culprit")
        .DependsOn(Build)
        .Executes(async cancellation =>
        {
            // Bisect steps are merged as the test merges are, and built incrementally through the Build stage as it ran.
            using var objects = new StoreObjects(Store.Git.GitDirectory);
            var merges = new MergeRecipe(Store.Git, objects, RecordedResolutions.Of(Settings, Store.Git));
            await new SelftestStage(Settings.Selftests, Output,
                    SelftestStage.MachineFor(Settings.Selftests, ProcessRunner.Default, Host),
                    bisect: _kernelBuild is { } builds ? new KernelBisectBuilder(builds, ReadinessReport, merges) : null,
                    log: Host)
                .RunAsync(ReadinessReport, cancellation);
        });
}
