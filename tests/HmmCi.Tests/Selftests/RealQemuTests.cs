using HmmCi.Config;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Selftests;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Selftests;

/// <summary>
/// The real 6.1 kernel (tinyconfig + hmm-min.config, built by <see cref="RealKernel"/>) booted under QEMU with HmmCi's
/// initramfs, running the real hmm-tests against the real test_hmm driver.
/// </summary>
[Collection(RealQemuCollection.Name)]
public class RealQemuTests
{
    [Fact]
    public async Task The_61_kernel_boots_and_hmm_tests_gives_v61s_own_results_52_pass_4_fail_2_skip()
    {
        using var temp = new TempDirectory();
        var initramfs = temp.Combine("initramfs.cpio");
        Initramfs.Write(initramfs, await RealKernel.HmmTestsAsync());
        var machine = new QemuMachine(ProcessRunner.Default);
        var boot = new SelftestBoot("mainline", "baseline", await RealKernel.KernelImageAsync(), await RealKernel.HmmTestsAsync(), initramfs);
        var console = temp.Combine("console.log");
        var outcome = await new SelftestSession(machine, TimeSpan.FromSeconds(90), TimeSpan.FromMinutes(10))
            .RunAsync(boot, console, null, CancellationToken.None);

        var text = File.ReadAllText(console);
        Assert.True(outcome.Result.Complete, text);
        Assert.Contains(machine.Accelerator, new[] { "kvm", "tcg" });
        Assert.Equal(58, outcome.Result.Plan);
        // tinyconfig has no ADVISE_SYSCALLS (madvise fails in anon_write_huge) and HMM_DMIRROR_EXCLUSIVE returns -EBUSY.
        Assert.Equal(
        [
            "hmm.hmm_device_private.anon_write_huge",
            "hmm.hmm_device_private.exclusive",
            "hmm.hmm_device_private.exclusive_mprotect",
            "hmm.hmm_device_private.exclusive_cow",
        ], outcome.Tests.Where(t => t.Status == TestStatus.Fail).Select(t => t.Name));
        Assert.Equal(52, outcome.Count(TestStatus.Pass));
        Assert.Equal(2, outcome.Count(TestStatus.Skip));
        Assert.Equal(new KtapTotals(52, 4, 0, 0, 2, 0), outcome.Result.Totals);
        Assert.Equal(StageStatus.Fail, outcome.Status);
        Assert.Empty(outcome.Problems);
        Assert.Contains(Initramfs.EndMarkerPrefix + "1", text);
        Assert.NotNull(outcome.FirstResult);
        // KVM only when a probe boot reaches init (here /dev/kvm exists but KVM guests hang at boot).
        if (machine.Accelerator == "tcg" && File.Exists("/dev/kvm")) Assert.NotNull(machine.KvmNote);
    }

    [Fact]
    public async Task The_stage_on_real_kernels_flags_the_T5_regression_confirms_it_and_bisects_to_T5()
    {
        using var temp = new TempDirectory();
        BuildRecord Build(BuildKind kind, string name, string kernel) => SelftestFixtures.Build(temp.Path, kind, name, folder =>
        {
            File.Copy(kernel, Path.Combine(folder, "bzImage"));
            File.Copy(Path.Combine(RealKernel.CachePath, "hmm-tests"), Path.Combine(folder, "hmm-tests"));
        });
        var v61 = await RealKernel.KernelImageAsync();
        var t5 = await RealKernel.T5KernelImageAsync();
        var (report, tree) = SelftestFixtures.Report();
        tree.Builds.Add(Build(BuildKind.Baseline, "baseline", v61));
        tree.Builds.Add(Build(BuildKind.Merged, "merged", t5));
        var good = Build(BuildKind.Merged, "good", v61);
        var bad = Build(BuildKind.Merged, "bad", t5);

        var stage = new SelftestStage(SelftestsConfig.Default, temp.Path, new QemuMachine(ProcessRunner.Default),
            new SelftestFixtures.ServedBuilds(c => report.Topic.Commits.IndexOf(c) >= 4 ? bad : good));
        await stage.RunAsync(report, CancellationToken.None);

        var selftests = tree.Selftests;
        Assert.Equal(StageStatus.Fail, selftests.Status);
        Assert.Contains(selftests.Accelerator, new[] { "kvm", "tcg" });
        Assert.Equal(14, selftests.Tests.Count(t => Readiness.Classify(t) == SelftestClass.Regression));
        Assert.Contains(selftests.Tests, t => t.Name == "hmm.hmm_device_private.anon_read" && t.Status == TestStatus.Fail && t.Baseline == TestStatus.Pass);
        Assert.Equal(4, selftests.Tests.Count(t => Readiness.Classify(t) == SelftestClass.AlreadyFailing));
        Assert.Equal(report.Topic.Commits[4], selftests.Culprit?.TopicCommit);
        Assert.Equal(["baseline", "bisect", "bisect", "bisect", "confirm", "merged"], selftests.Runs.Select(r => r.Kind).Order());
        Assert.Equal(3, selftests.Bisect.Count);
        Assert.All(selftests.Runs, r => Assert.Empty(r.KernelProblems));
    }
}

/// <summary>QEMU boots share two cores with everything else: one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealQemuCollection
{
    public const string Name = "real QEMU boots";
}
