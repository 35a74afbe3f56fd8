using HmmCi.Processes;

namespace HmmCi.Kernel.Runtimes;

/// <summary>
/// podman speaks the docker CLI; Debian's podman 4.3 starts containers here only with runc and explicit ulimits
/// (its default crun and nproc limit fail), so those are what differs.
/// </summary>
public sealed class PodmanRuntime(IProcessRunner runner, RunIdentity run) : DockerRuntime(runner, run)
{
    public override string Name => "podman";

    public override string Executable => "podman";

    protected override IReadOnlyList<string> GlobalOptions => ["--runtime", "runc"];

    protected override IReadOnlyList<string> ContainerOptions => ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"];

    /// <summary>Rootless podman maps the container's root to the caller already, and rootful podman is root's own.</summary>
    protected override IReadOnlyList<string> UserOptions => [];

    protected override string InstallFix => "apt-get install podman runc";

    protected override string EngineFix => "see 'podman info'";

    protected override string StartFix(string error) =>
        error.Contains("runc", StringComparison.OrdinalIgnoreCase) ? "apt-get install runc" : base.StartFix(error);
}
