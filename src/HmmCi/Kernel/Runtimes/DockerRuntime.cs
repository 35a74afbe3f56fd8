using System.Runtime.InteropServices;
using HmmCi.Processes;

namespace HmmCi.Kernel.Runtimes;

/// <summary>
/// The docker CLI, against whatever engine DOCKER_HOST names (a Docker daemon, or podman's Docker API socket).
/// Every container runs without network, with the tree read-only, and carries the run's labels so that
/// <see cref="Containers"/> can remove it whatever happens to HmmCi.
/// </summary>
public class DockerRuntime(IProcessRunner runner, RunIdentity run, IReadOnlyDictionary<string, string?>? environment = null) : BuildRuntime(runner)
{
    public const string SourceMount = "/src";
    public const string OutputMount = "/build";
    public const string CcacheMount = "/ccache";

    public override string Name => "docker";

    public static readonly BuildMounts Mounts = new(SourceMount, OutputMount, CcacheMount);

    public RunIdentity Run { get; } = run;

    internal IProcessRunner ProcessRunner => Runner;

    /// <summary>Added to the CLI's environment (e.g. DOCKER_HOST).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; } = environment ?? new Dictionary<string, string?>();

    public virtual string Executable => "docker";

    /// <summary>Options before the subcommand.</summary>
    protected virtual IReadOnlyList<string> GlobalOptions => [];

    /// <summary>Options every container of this engine needs (run and build).</summary>
    protected virtual IReadOnlyList<string> ContainerOptions => [];

    /// <summary>What to install when the CLI is missing.</summary>
    protected virtual string InstallFix => "install the docker CLI and engine, or set kernel.runtime: podman";

    /// <summary>What to do when the CLI cannot reach its engine.</summary>
    protected virtual string EngineFix => "start the Docker daemon, or point DOCKER_HOST at a running engine (podman system service --time=0 unix:///run/hmmci-podman.sock serves one)";

    /// <summary>
    /// Who the builds run as. A Docker daemon runs containers as root: for a caller that is not root they take the
    /// caller's uid and gid, so what they write into O= and the ccache stays the caller's to delete. Null: the image's root.
    /// </summary>
    public (uint Uid, uint Gid)? User { get; init; } = getuid() == 0 ? null : (getuid(), getgid());

    /// <summary>The options that pick <see cref="User"/>.</summary>
    protected virtual IReadOnlyList<string> UserOptions => User is { } user ? ["--user", $"{user.Uid}:{user.Gid}"] : [];

    [DllImport("libc")]
    static extern uint getuid();

    [DllImport("libc")]
    static extern uint getgid();

    /// <summary>The image the builds run in, once <see cref="PrepareAsync"/> made sure of it.</summary>
    public string? ImageTag { get; private set; }

    public override BuildMounts Inside(BuildMounts host) => Mounts;

    /// <summary>A CLI call with this engine's global options and environment.</summary>
    public ProcessSpec Cli(IEnumerable<string> arguments) => new(Executable, [.. GlobalOptions, .. arguments]) { Environment = Environment };

    /// <summary>Options for <c>build</c> and <c>run</c> that this engine needs to start a container at all.</summary>
    public IReadOnlyList<string> RequiredContainerOptions => ContainerOptions;

    public override async Task PrepareAsync(string logFile, Action<string> progress, CancellationToken cancellation)
    {
        var info = await Try(["info"], TimeSpan.FromMinutes(1), cancellation);
        if (!info.Success) throw Unavailable($"{Executable} cannot reach its engine: {FirstLine(info)} ({EngineFix})");
        var image = await BuildImage.EnsureAsync(this, logFile, progress, cancellation);
        // Probing means starting a container for real: podman without runc, for one, fails only here.
        var name = $"hmmci-{Run.Id}-probe-{Guid.NewGuid().ToString("N")[..8]}";
        ProcessResult probe;
        try
        {
            probe = await Try(["run", "--rm", .. Containers.Labels(Run), "--name", name, "--network=none", .. ContainerOptions, image.Tag, "true"], TimeSpan.FromMinutes(2), cancellation);
        }
        catch (OperationCanceledException)
        {
            await RemoveAsync(name);
            throw;
        }
        if (probe.TimedOut) await RemoveAsync(name);
        if (!probe.Success) throw Unavailable($"{Executable} cannot start a container: {FirstLine(probe)} ({StartFix(FirstLine(probe))})");
        ImageTag = image.Tag;
        ImageId = image.Id;
    }

    /// <summary>What to do when the engine runs but no container starts.</summary>
    protected virtual string StartFix(string error) => $"check that '{Executable} run --rm {BuildImage.Tag} true' works";

    public override ProcessSpec Command(BuildInvocation invocation) =>
        Cli([.. RunArguments, .. Containers.Labels(Run), "--name", invocation.Name, .. MountArguments(invocation)]) with
        {
            Timeout = invocation.Timeout,
            LogFile = invocation.LogFile,
            OnLine = invocation.OnLine,
            OutputCap = 1 << 20,
        };

    public override string Reproducer(BuildInvocation invocation)
    {
        var environment = Environment.Where(e => e.Value is not null).Select(e => $"{e.Key}={Shell.Quote(e.Value!)} ");
        return string.Concat(environment) + Shell.Join([Executable, .. GlobalOptions, .. RunArguments, .. MountArguments(invocation)]);
    }

    public override Task RemoveAsync(BuildInvocation invocation) => RemoveAsync(invocation.Name);

    /// <summary>Removes one container by its name: a step or a probe cleaning up after itself, with other builds of the run beside it.</summary>
    Task RemoveAsync(string name) =>
        Runner.RunAsync(Cli(["rm", "--force", "--ignore", name]) with { Timeout = TimeSpan.FromMinutes(1) }, CancellationToken.None);

    IEnumerable<string> RunArguments => ["run", "--rm", "--network=none", .. ContainerOptions, .. UserOptions];

    IEnumerable<string> MountArguments(BuildInvocation invocation) =>
    [
        "-v", $"{invocation.Mounts.Source}:{SourceMount}:ro",
        "-v", $"{invocation.Mounts.Output}:{OutputMount}",
        "-v", $"{invocation.Mounts.Ccache}:{CcacheMount}",
        "-w", OutputMount,
        ImageTag ?? throw new InvalidOperationException($"{Name}: PrepareAsync has not run"),
        "sh", "-euc", invocation.Script,
    ];

    /// <summary>Runs the CLI; a missing CLI is the engine's one-line error.</summary>
    internal async Task<ProcessResult> Try(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellation,
        string? logFile = null, Func<Stream, CancellationToken, Task>? input = null)
    {
        try
        {
            return await Runner.RunAsync(Cli(arguments) with { Timeout = timeout, LogFile = logFile, InputWriter = input }, cancellation);
        }
        catch (ProcessStartException)
        {
            throw Unavailable($"{Executable} is not installed ({InstallFix})");
        }
    }

    internal static string FirstLine(ProcessResult result)
    {
        if (result.TimedOut) return "timed out";
        var text = (result.Error.Trim().Length > 0 ? result.Error : result.Output).Trim();
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Error", StringComparison.OrdinalIgnoreCase))
            ?? text.Split('\n').LastOrDefault()?.Trim();
        return string.IsNullOrEmpty(line) ? $"exit code {result.ExitCode}" : line;
    }

    static RuntimeUnavailableException Unavailable(string message) => new(message);
}
