using HmmCi.Processes;

namespace HmmCi.Kernel.Runtimes;

/// <summary>
/// Picks where the builds run from <c>kernel.runtime</c>, as tuxmake's <c>Runtime.get()</c> picks a runtime by name:
/// podman, docker or host as asked, or for <c>auto</c> the first container engine that really starts a container.
/// </summary>
public static class RuntimeSelector
{
    /// <summary>The runtimes <paramref name="runtime"/> names, in the order they are tried; <c>auto</c> never falls back to the host.</summary>
    public static IReadOnlyList<BuildRuntime> Candidates(string runtime, IProcessRunner runner, RunIdentity run) => runtime switch
    {
        "podman" => [new PodmanRuntime(runner, run)],
        "docker" => [new DockerRuntime(runner, run)],
        "host" => [new HostRuntime(runner)],
        _ => [new PodmanRuntime(runner, run), new DockerRuntime(runner, run)],
    };

    /// <summary>
    /// The first candidate that prepares (its image built, a container probed). When none does, one
    /// <see cref="RuntimeUnavailableException"/>: a single candidate's own words, or every engine's and the host as the way out.
    /// </summary>
    public static async Task<BuildRuntime> SelectAsync(IReadOnlyList<BuildRuntime> candidates, string imageLog, Action<string> progress, CancellationToken cancellation)
    {
        var failures = new List<string>();
        foreach (var candidate in candidates)
        {
            try
            {
                await candidate.PrepareAsync(imageLog, progress, cancellation);
                return candidate;
            }
            catch (RuntimeUnavailableException e)
            {
                failures.Add(e.Message);
            }
        }
        if (failures.Count == 1) throw new RuntimeUnavailableException(failures[0]);
        throw new RuntimeUnavailableException($"no container engine can start a container: {string.Join("; ", failures)} (or set kernel.runtime: host to build with this machine's toolchain)");
    }
}
