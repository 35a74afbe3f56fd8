using HmmCi.Kernel;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;

namespace HmmCi.Tests.Kernel;

/// <summary>
/// The real podman, which these tests need (CI installs it): a missing podman fails them with the fix, it never
/// skips them. The build image is made the first time (debootstrap, import, build) and reused after.
/// </summary>
public static class Podman
{
    public static async Task<PodmanRuntime> ReadyAsync(RunIdentity run, string logFolder)
    {
        var runtime = new PodmanRuntime(ProcessRunner.Default, run);
        try
        {
            await runtime.PrepareAsync(Path.Combine(logFolder, "image.log"), _ => { }, CancellationToken.None);
        }
        catch (RuntimeUnavailableException e)
        {
            throw new InvalidOperationException($"this test needs podman that can start containers (apt-get install podman runc debootstrap): {e.Message}");
        }
        return runtime;
    }

    /// <summary>The ids of every container, running or not, that carries the run's label.</summary>
    public static async Task<string[]> ContainersOfAsync(string runId)
    {
        var ps = await ProcessRunner.Default.RunAsync(new ProcessSpec("podman", ["ps", "--all", "--quiet", "--filter", $"label={Containers.RunLabel}={runId}"]));
        Assert.True(ps.Success, ps.Error);
        return ps.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
