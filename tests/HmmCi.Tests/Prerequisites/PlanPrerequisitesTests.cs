using HmmCi.Config;
using HmmCi.Prerequisites;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Prerequisites;

public class PlanPrerequisitesTests
{
    static readonly string[] UpToCheck = ["Prerequisites", "Sample", "Fetch", "Check", "Report"];
    static readonly string[] UpToSelftests = [.. UpToCheck, "Merge", "Build", "Selftests"];

    static IReadOnlyList<string> Packages(string[] targets, string runtime = "auto", bool hasSample = false) =>
        PlanPrerequisites.For(targets.ToHashSet(), new KernelConfig { Runtime = runtime }, hasSample).Packages;

    [Fact]
    public void A_check_run_needs_only_git_and_the_sample_adds_its_kernel_source()
    {
        Assert.Equal(["git"], Packages(UpToCheck));
        Assert.Equal(["git", "linux-source-6.1", "xz-utils"], Packages(UpToCheck, hasSample: true));
        Assert.Equal(["git"], Packages(UpToCheck.Except(["Sample"]).ToArray(), hasSample: true));
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("podman")]
    public void Building_in_podman_needs_podman_runc_and_debootstrap_for_the_base_image(string runtime) =>
        Assert.Equal(["git", "podman", "runc", "debootstrap"], Packages(["Fetch", "Merge", "Build"], runtime));

    [Fact]
    public void Building_on_the_host_needs_the_kernel_toolchain()
    {
        Assert.Equal(["git", "gcc", "make", "bc", "bison", "flex", "libelf-dev", "libssl-dev", "cpio", "xz-utils", "rsync", "kmod"],
            Packages(["Fetch", "Merge", "Build"], "host"));
        // xz-utils once, though the sample needs it too.
        Assert.Single(Packages(UpToSelftests, "host", hasSample: true), p => p == "xz-utils");
    }

    [Fact]
    public void Selftests_need_qemu_and_busybox_and_a_skipped_build_needs_no_engine()
    {
        Assert.Equal(["git", "podman", "runc", "debootstrap", "qemu-system-x86", "busybox-static"], Packages(UpToSelftests));
        Assert.Equal(["git", "qemu-system-x86", "busybox-static"], Packages(UpToSelftests.Except(["Build"]).ToArray()));
    }

    [Fact]
    public void Docker_is_no_Debian_package_here_and_a_missing_CLI_says_the_fix()
    {
        using var directory = new TempDirectory();
        var withDocker = directory.WriteFile("bin/docker", "#!/bin/sh\n");
        var plan = PlanPrerequisites.For(UpToSelftests.ToHashSet(), new KernelConfig { Runtime = "docker" }, hasSample: false);

        Assert.Equal(["git", "qemu-system-x86", "busybox-static"], plan.Packages);
        Assert.Equal(["kernel.runtime: docker: the docker CLI is not on PATH: install Docker's CLI, or set kernel.runtime: podman in the config"],
            plan.MissingCommands(directory.Combine("empty") + ":/nonexistent"));
        Assert.Empty(plan.MissingCommands($"/nonexistent:{Path.GetDirectoryName(withDocker)}"));
        Assert.Empty(PlanPrerequisites.For(UpToCheck.ToHashSet(), new KernelConfig { Runtime = "docker" }, false).MissingCommands(""));
    }
}
