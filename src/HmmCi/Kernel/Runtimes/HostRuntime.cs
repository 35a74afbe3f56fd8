using HmmCi.Processes;

namespace HmmCi.Kernel.Runtimes;

/// <summary>No container: this machine's own toolchain, only when hmmci.yml asks for it (<c>kernel.runtime: host</c>).</summary>
/// <param name="environment">Added to the builds' environment (PATH, say).</param>
public sealed class HostRuntime(IProcessRunner runner, IReadOnlyDictionary<string, string?>? environment = null) : BuildRuntime(runner)
{
    public override string Name => "host";

    public override BuildMounts Inside(BuildMounts host) => host;

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
    }

    public override ProcessSpec Command(BuildInvocation invocation) => new("sh", ["-euc", invocation.Script])
    {
        WorkingDirectory = invocation.Mounts.Output,
        Environment = environment ?? new Dictionary<string, string?>(),
        Timeout = invocation.Timeout,
        LogFile = invocation.LogFile,
        OnLine = invocation.OnLine,
        OutputCap = 1 << 20,
    };

    public override string Reproducer(BuildInvocation invocation) =>
        $"cd {Shell.Quote(invocation.Mounts.Output)} && sh -euc {Shell.Quote(invocation.Script)}";
}
