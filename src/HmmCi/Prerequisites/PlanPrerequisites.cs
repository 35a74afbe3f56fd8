using HmmCi.Config;

namespace HmmCi.Prerequisites;

/// <summary>Debian packages one part of the plan needs, and why (said when they are missing).</summary>
public sealed record PackageNeed(string Why, IReadOnlyList<string> Packages);

/// <summary>A program HmmCi does not install; the run exits 2 with <see cref="Fix"/> when it is not on PATH.</summary>
public sealed record CommandNeed(string Command, string Why, string Fix);

/// <summary>What a run needs from the machine, by the targets in its plan and the kernel runtime it builds with.</summary>
public sealed record PlanPrerequisites(IReadOnlyList<PackageNeed> Needs, IReadOnlyList<CommandNeed> Commands)
{
    /// <summary>The whole kernel toolchain on the machine itself: builds and headers_install (tinyconfig compresses with xz).</summary>
    public static readonly IReadOnlyList<string> HostToolchain =
        ["gcc", "make", "bc", "bison", "flex", "libelf-dev", "libssl-dev", "cpio", "xz-utils", "rsync", "kmod"];

    /// <summary>Debian's podman 4.3 starts containers only with runc; the base image is made locally with debootstrap.</summary>
    public static readonly IReadOnlyList<string> Podman = ["podman", "runc", "debootstrap"];

    /// <summary>QEMU boots each kernel; busybox-static is the initramfs' userland.</summary>
    public static readonly IReadOnlyList<string> Selftests = ["qemu-system-x86", "busybox-static"];

    /// <summary>The sample's trees come from Debian's kernel source tarball.</summary>
    public static readonly IReadOnlyList<string> Sample = ["linux-source-6.1", "xz-utils"];

    public IReadOnlyList<string> Packages => Needs.SelectMany(n => n.Packages).Distinct().ToList();

    /// <param name="targets">The targets the run executes (the plan without what --skip removed).</param>
    /// <param name="hasSample">Whether the config names a sample to generate.</param>
    public static PlanPrerequisites For(IReadOnlySet<string> targets, KernelConfig kernel, bool hasSample)
    {
        var needs = new List<PackageNeed> { new("the trees", ["git"]) };
        var commands = new List<CommandNeed>();
        if (hasSample && targets.Contains("Sample")) needs.Add(new("Sample", Sample));
        if (targets.Contains("Build"))
            switch (kernel.Runtime)
            {
                case "host":
                    needs.Add(new("Build on the host, kernel.runtime: host", HostToolchain));
                    break;
                case "docker":
                    commands.Add(new("docker", "kernel.runtime: docker", "install Docker's CLI, or set kernel.runtime: podman in the config"));
                    break;
                default:
                    needs.Add(new($"Build in podman containers, kernel.runtime: {kernel.Runtime}", Podman));
                    break;
            }
        if (targets.Contains("Selftests")) needs.Add(new("Selftests", Selftests));
        return new PlanPrerequisites(needs, commands);
    }

    /// <summary>The commands not found in <paramref name="path"/> (PATH's value), each as one line saying the fix.</summary>
    public IReadOnlyList<string> MissingCommands(string? path)
    {
        var folders = (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return Commands.Where(c => !folders.Any(f => File.Exists(Path.Combine(f, c.Command))))
            .Select(c => $"{c.Why}: the {c.Command} CLI is not on PATH: {c.Fix}")
            .ToList();
    }
}
