using HmmCi.Processes;

namespace HmmCi.Kernel.Runtimes;

/// <summary>No container: this machine's own toolchain, only when hmmci.yml asks for it (<c>kernel.runtime: host</c>).</summary>
/// <param name="environment">Added to the builds' environment (PATH, say).</param>
public sealed class HostRuntime(IProcessRunner runner, IReadOnlyDictionary<string, string?>? environment = null) : BuildRuntime(runner)
{
    public override string Name => "host";

    public override BuildMounts Inside(BuildMounts host) => host;

    /// <summary>The toolchain's versions, read by <see cref="PrepareAsync"/>: an upgraded compiler is a new key.</summary>
    string _toolchain = "";

    public override string CacheIdentity => $"host {_toolchain}";

    public override async Task PrepareAsync(string logFile, Action<string> progress, CancellationToken cancellation)
    {
        // What else is missing (a compiler, say) is each build's failure, named by the build.
        try
        {
            await Runner.RunAsync(new ProcessSpec("make", ["--version"]) { Timeout = TimeSpan.FromSeconds(30) }, cancellation);
        }
        catch (ProcessStartException)
        {
            throw new RuntimeUnavailableException("host runtime: make is not installed (apt-get install make gcc bc bison flex libelf-dev libssl-dev cpio xz-utils rsync kmod ccache)");
        }
        // Through the builds' own shell and PATH, so the versions are those of the tools the builds run.
        var versions = await Runner.RunAsync(new ProcessSpec("sh", ["-c", "for tool in make gcc ld; do if command -v $tool >/dev/null; then $tool --version | head -n 1; else echo \"$tool: missing\"; fi; done"])
        {
            Environment = Environment, Timeout = TimeSpan.FromSeconds(30),
        }, cancellation);
        _toolchain = string.Join("; ", versions.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    IReadOnlyDictionary<string, string?> Environment => environment ?? new Dictionary<string, string?>();

    public override ProcessSpec Command(BuildInvocation invocation) => new("sh", ["-euc", invocation.Script])
    {
        WorkingDirectory = invocation.Mounts.Output,
        Environment = Environment,
        Timeout = invocation.Timeout,
        LogFile = invocation.LogFile,
        OnLine = invocation.OnLine,
        OutputCap = 1 << 20,
    };

    public override string Reproducer(BuildInvocation invocation) =>
        $"cd {Shell.Quote(invocation.Mounts.Output)} && sh -euc {Shell.Quote(invocation.Script)}";
}
