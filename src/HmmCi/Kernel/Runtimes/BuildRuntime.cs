using HmmCi.Processes;

namespace HmmCi.Kernel.Runtimes;

/// <summary>The three folders of a build: the tree (read-only), the O= build folder and the ccache, all writable but the tree.</summary>
public sealed record BuildMounts(string Source, string Output, string Ccache);

/// <summary>One build step as a runtime runs it: a shell script over the mounts, named so its container can be found.</summary>
public sealed record BuildInvocation(string Name, BuildMounts Mounts, string Script)
{
    public TimeSpan? Timeout { get; init; }
    public string? LogFile { get; init; }
    public Action<string>? OnLine { get; init; }
}

/// <summary>An engine that is missing or cannot start a container; the message is one line that names the fix.</summary>
public sealed class RuntimeUnavailableException(string message) : Exception(message);

/// <summary>
/// Where a kernel build runs (tuxmake's runtimes): <see cref="HostRuntime"/>, <see cref="DockerRuntime"/> and
/// <see cref="PodmanRuntime"/>, which differs from docker only in what podman needs to start a container here.
/// </summary>
public abstract class BuildRuntime(IProcessRunner runner)
{
    protected IProcessRunner Runner { get; } = runner;

    /// <summary>podman, docker or host, as the report names it.</summary>
    public abstract string Name { get; }

    /// <summary>The build image's id once <see cref="PrepareAsync"/> ran; null on the host.</summary>
    public string? ImageId { get; protected set; }

    /// <summary>What the result cache keys on for the build environment: the image's id in a container.</summary>
    public virtual string CacheIdentity => ImageId ?? Name;

    /// <summary>The mounts as the build sees them (fixed paths in a container, so ccache hits across trees).</summary>
    public abstract BuildMounts Inside(BuildMounts host);

    /// <summary>
    /// Makes sure builds can run: for an engine, the build image exists and a container really starts from it.
    /// Throws <see cref="RuntimeUnavailableException"/> otherwise.
    /// </summary>
    public abstract Task PrepareAsync(string logFile, Action<string> progress, CancellationToken cancellation);

    /// <summary>The process that runs the step.</summary>
    public abstract ProcessSpec Command(BuildInvocation invocation);

    /// <summary>The command that runs the step by hand, pasteable in a shell (without HmmCi's labels).</summary>
    public abstract string Reproducer(BuildInvocation invocation);

    /// <summary>Removes what is left of a step that did not end by itself (timeout, cancellation).</summary>
    public virtual Task RemoveAsync(BuildInvocation invocation) => Task.CompletedTask;

    /// <summary>
    /// Runs the step. One that did not end by itself (timed out, cancelled, or HmmCi gave up on it) has its own
    /// container removed, by its name and never by the run's label: other builds of the run may be running beside
    /// it (the Selftests stage bisects trees side by side). The run's containers go at the end of the run.
    /// </summary>
    public async Task<ProcessResult> RunAsync(BuildInvocation invocation, CancellationToken cancellation)
    {
        var ended = false;
        try
        {
            var result = await Runner.RunAsync(Command(invocation), cancellation);
            ended = !result.TimedOut;
            return result;
        }
        catch (ProcessStartException)
        {
            ended = true; // nothing started
            throw;
        }
        finally
        {
            if (!ended) await RemoveAsync(invocation);
        }
    }
}
