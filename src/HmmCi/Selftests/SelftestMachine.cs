using HmmCi.Processes;

namespace HmmCi.Selftests;

/// <summary>One boot to run: which tree and kernel (baseline, merged, confirm, bisect), and the files it needs.</summary>
public sealed record SelftestBoot(string Tree, string Kind, string Kernel, string HmmTests, string Initramfs)
{
    public string? Commit { get; init; }
}

/// <summary>Where hmm-tests runs: a QEMU guest, or a lab machine behind a command. Its output is the console.</summary>
public interface ISelftestMachine
{
    /// <summary>kvm or tcg for QEMU (known after the first boot), "command" for a command.</summary>
    string Accelerator { get; }
    /// <summary>Whether the console shows the initramfs's start and end markers (a command's output is all hmm-tests).</summary>
    bool PrintsMarkers { get; }
    /// <summary>One-time setup before the first boot (QEMU probes KVM with this kernel), outside the boot's own time.</summary>
    Task PrepareAsync(SelftestBoot boot, CancellationToken cancellation);
    /// <summary>Boots and runs until the machine exits, the timeout, or <paramref name="stop"/> (which throws).</summary>
    Task<ProcessResult> RunAsync(SelftestBoot boot, Action<string> onLine, TimeSpan timeout, CancellationToken stop);
}

/// <summary>
/// qemu-system-x86_64 from Debian: serial console, no network device, no host directories, -no-reboot so the guest's
/// <c>reboot -f</c> (and <c>panic=-1</c>) ends QEMU. KVM only when a short probe boot really reaches init (on some
/// machines /dev/kvm exists but a KVM guest hangs at boot); TCG otherwise.
/// </summary>
public sealed class QemuMachine(IProcessRunner runner, IStageLog? log = null) : ISelftestMachine
{
    public const string Program = "qemu-system-x86_64";
    public const string Package = "qemu-system-x86";
    /// <summary>A KVM boot to init takes about a second; a hanging one never gets there.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The probe's answer holds for the machine: one probe per HmmCi process.</summary>
    static readonly SemaphoreSlim ProbeGate = new(1, 1);
    static (string Accelerator, string? Note)? s_probed;

    public string Accelerator => s_probed?.Accelerator ?? "tcg";
    public bool PrintsMarkers => true;
    /// <summary>Why KVM is not used, once probed.</summary>
    public string? KvmNote => s_probed?.Note;

    public static IReadOnlyList<string> Arguments(string accelerator, string kernel, string initramfs, string extraAppend = "") =>
    [
        "-accel", accelerator, "-m", "1024", "-smp", "1",
        "-nographic", "-monitor", "none", "-no-reboot", "-nic", "none",
        "-kernel", kernel, "-initrd", initramfs,
        "-append", ("console=ttyS0 panic=-1 " + extraAppend).Trim(),
    ];

    public Task PrepareAsync(SelftestBoot boot, CancellationToken cancellation) => AcceleratorAsync(boot, cancellation);

    public async Task<ProcessResult> RunAsync(SelftestBoot boot, Action<string> onLine, TimeSpan timeout, CancellationToken stop)
    {
        var accelerator = await AcceleratorAsync(boot, stop);
        return await runner.RunAsync(new ProcessSpec(Program, Arguments(accelerator, boot.Kernel, boot.Initramfs))
        {
            Timeout = timeout,
            OnLine = onLine,
            // The session keeps the console (collapsed and capped); the runner's copy only needs to be small.
            OutputCap = 1 << 16,
        }, stop);
    }

    async Task<string> AcceleratorAsync(SelftestBoot boot, CancellationToken cancellation)
    {
        if (s_probed is { } known) return known.Accelerator;
        await ProbeGate.WaitAsync(cancellation);
        try
        {
            if (s_probed is null)
            {
                s_probed = await ProbeAsync(boot, cancellation);
                log?.Info(KvmNote is null ? "selftests: KVM works, guests run under kvm" : $"selftests: {KvmNote}; guests run under tcg");
            }
            return s_probed.Value.Accelerator;
        }
        finally
        {
            ProbeGate.Release();
        }
    }

    async Task<(string, string?)> ProbeAsync(SelftestBoot boot, CancellationToken cancellation)
    {
        if (!File.Exists("/dev/kvm")) return ("tcg", "no /dev/kvm");
        var reached = false;
        var result = await runner.RunAsync(new ProcessSpec(Program, Arguments("kvm", boot.Kernel, boot.Initramfs, Initramfs.ProbeArgument))
        {
            Timeout = ProbeTimeout,
            OnLine = line => reached |= line.Contains(Initramfs.ProbeMarker, StringComparison.Ordinal),
            OutputCap = 1 << 14,
        }, cancellation);
        if (reached) return ("kvm", null);
        return ("tcg", result.TimedOut
            ? $"a KVM probe boot did not reach init within {ProbeTimeout.TotalSeconds:0} s"
            : $"a KVM probe boot failed (exit code {result.ExitCode}: {result.Error.Trim().Split('\n')[^1]})");
    }
}

/// <summary>
/// <c>runner: command</c>: a shell command that runs the tests somewhere else (a lab machine over ssh); its output is the
/// console. It gets HMMCI_KERNEL, HMMCI_INITRAMFS, HMMCI_SELFTEST, HMMCI_TREE, HMMCI_KIND and HMMCI_COMMIT.
/// </summary>
public sealed class CommandMachine(IProcessRunner runner, string command) : ISelftestMachine
{
    public string Accelerator => "command";
    public bool PrintsMarkers => false;
    public Task PrepareAsync(SelftestBoot boot, CancellationToken cancellation) => Task.CompletedTask;

    public Task<ProcessResult> RunAsync(SelftestBoot boot, Action<string> onLine, TimeSpan timeout, CancellationToken stop) =>
        runner.RunAsync(new ProcessSpec("bash", ["-c", command])
        {
            Environment = new Dictionary<string, string?>
            {
                ["HMMCI_KERNEL"] = boot.Kernel,
                ["HMMCI_INITRAMFS"] = boot.Initramfs,
                ["HMMCI_SELFTEST"] = boot.HmmTests,
                ["HMMCI_TREE"] = boot.Tree,
                ["HMMCI_KIND"] = boot.Kind,
                ["HMMCI_COMMIT"] = boot.Commit ?? "",
            },
            Timeout = timeout,
            OnLine = onLine,
            OutputCap = 1 << 16,
        }, stop);
}
