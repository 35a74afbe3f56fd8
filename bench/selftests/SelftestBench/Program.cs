using System.Diagnostics;
using HmmCi;
using HmmCi.Config;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Selftests;
using HmmCi.Trees;

// Runs HmmCi's Selftests stage on real kernels under QEMU, as the pipeline would for the sample's rdma tree: the
// baseline is v6.1 (tinyconfig + hmm-min.config), the merged kernel has the sample's T5 regression; the regression is
// confirmed and bisected over the six topic commits, each bisect step served the right real kernel (a step's build is
// not timed here: the Build stage owns it). Prints per boot the machine's time and HmmCi's own, then the ratio.
// Usage: SelftestBench KERNEL_CACHE OUTPUT   (KERNEL_CACHE: what tests/HmmCi.Tests/Fixtures/real-kernel{,-t5}.sh made)
if (args.Length != 2) { Console.Error.WriteLine("usage: SelftestBench KERNEL_CACHE OUTPUT"); return 2; }
var (cache, output) = (args[0], Path.GetFullPath(args[1]));
foreach (var file in new[] { "bzImage", "bzImage-t5", "hmm-tests" })
    if (!File.Exists(Path.Combine(cache, file))) { Console.Error.WriteLine($"SelftestBench: {cache}/{file} missing"); return 2; }

// The artifacts as the Build stage leaves them, relative to the output folder.
BuildRecord Build(BuildKind kind, string name, string kernel)
{
    var folder = Path.Combine(output, "builds", name);
    Directory.CreateDirectory(folder);
    File.Copy(Path.Combine(cache, kernel), Path.Combine(folder, "bzImage"), overwrite: true);
    File.Copy(Path.Combine(cache, "hmm-tests"), Path.Combine(folder, "hmm-tests"), overwrite: true);
    return new BuildRecord
    {
        Kind = kind,
        Config = "tinyconfig+hmm-selftests",
        Status = StageStatus.Pass,
        Artifacts = new BuildArtifacts
        {
            Kernel = $"builds/{name}/bzImage",
            Selftests = new SelftestArtifacts { HmmTests = $"builds/{name}/hmm-tests", HarnessFixes = ["kselftest-harness-trigger"] },
        },
    };
}

string[] subjects =
[
    "mm/hmm: document HMM_PFN_ORDER_SHIFT in the pfn flags comment",
    "RDMA/umem: fix the kernel-doc of ib_umem_odp_map_dma_single_page()",
    "mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()",
    "mm/hmm: add hmm_range_timeout() and use it in amdgpu",
    "lib/test_hmm: use PFN helpers in the bounce buffer copy loops",
    "mm/hmm: fix the comment above hmm_pfn_to_map_shift()",
];
var report = new MergeReadinessReport
{
    Topic = new TopicReport { Name = "hmm", Url = "hmm.git", Branch = "hmm" },
    Mainline = new MainlineReport { Url = "mainline.git", Branch = "master" },
};
for (var i = 0; i < subjects.Length; i++) report.Topic.Commits.Add(new CommitRef(new string((char)('1' + i), 40), subjects[i]));
var rdma = new TreeReport { Name = "rdma", Url = "rdma.git", Branch = "for-next" };
rdma.Builds.Add(Build(BuildKind.Baseline, "rdma-baseline", "bzImage"));
rdma.Builds.Add(Build(BuildKind.Merged, "rdma-merged", "bzImage-t5"));
report.Trees.Add(rdma);
var good = Build(BuildKind.Merged, "bisect-good", "bzImage");
var bad = Build(BuildKind.Merged, "bisect-bad", "bzImage-t5");
var t5 = report.Topic.Commits[4];

var stage = new SelftestStage(SelftestsConfig.Default with { Parallel = 1 }, output, new QemuMachine(ProcessRunner.Default, new ErrorLog()),
    new ServedBuilds(commit => report.Topic.Commits.IndexOf(commit) >= report.Topic.Commits.IndexOf(t5) ? bad : good), new ErrorLog());
var clock = Stopwatch.StartNew();
await stage.RunAsync(report, CancellationToken.None);
var stageTime = clock.Elapsed;

var selftests = rdma.Selftests;
Console.WriteLine($"Selftests benchmark: rdma tree, v6.1 baseline and the T5 regression, {selftests.Accelerator}");
Console.WriteLine($"  verdict: {selftests.Status.ToString().ToLowerInvariant()}: {selftests.Reason}");
Console.WriteLine("  boot                          machine     HmmCi   first result");
foreach (var (boot, machine, overhead, first) in stage.Timings)
    Console.WriteLine($"  {boot,-28} {machine.TotalSeconds,7:0.00} s {overhead.TotalMilliseconds,7:0.0} ms {(first is { } f ? $"{f.TotalSeconds,7:0.00} s" : "      -")}");
foreach (var step in selftests.Bisect) Console.WriteLine($"  bisect step {step.Commit}: {step.Result}, {step.DurationMs / 1000.0:0.00} s (boot only)");
var perKernel = stage.Timings.Count == 0 ? 0 : stageTime.TotalSeconds / stage.Timings.Count;
Console.WriteLine($"  Selftests stage: {stageTime.TotalSeconds:0.0} s for {stage.Timings.Count} boots, {perKernel:0.0} s per kernel (incl. the one-time KVM probe)");
var machineTotal = stage.Timings.Sum(t => t.Machine.TotalMilliseconds);
var overheadTotal = stage.Timings.Sum(t => t.Overhead.TotalMilliseconds);
Console.WriteLine($"ratio: {overheadTotal / machineTotal * 100:0.000} % (HmmCi's own time per run: initramfs, console parsing, bookkeeping / the QEMU runs; target < 2 %)");
return 0;

sealed class ServedBuilds(Func<CommitRef, BuildRecord> serve) : IBisectBuilder
{
    public Task<BuildRecord> BuildAsync(string tree, CommitRef topicCommit, CancellationToken cancellation) => Task.FromResult(serve(topicCommit));
}

/// <summary>The stage's progress on standard error, so standard output holds only the figures.</summary>
sealed class ErrorLog : IStageLog
{
    public void Info(string message) => Console.Error.WriteLine(message);
    public void Warning(string message, string? file = null, int? line = null) => Console.Error.WriteLine(message);
    public void Error(string message, string? file = null, int? line = null) => Console.Error.WriteLine(message);
}
