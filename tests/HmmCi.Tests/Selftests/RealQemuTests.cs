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
    }
}

/// <summary>QEMU boots share two cores with everything else: one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealQemuCollection
{
    public const string Name = "real QEMU boots";
}
