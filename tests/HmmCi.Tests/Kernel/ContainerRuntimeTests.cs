using System.Diagnostics;
using HmmCi.Kernel;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Kernel;

/// <summary>The podman and docker runtimes building the fake tree for real, and the containers they leave: none.</summary>
public sealed class ContainerRuntimeTests : IDisposable
{
    readonly FakeKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    [Fact]
    public async Task Podman_builds_in_the_build_image_without_network_with_the_tree_read_only_and_leaves_no_container()
    {
        await Podman.ReadyAsync(_kernel.Run, _kernel.Output);
        var merged = _kernel.Commit("mm/hmm: change", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, merged)), _kernel.Config("kernel: { runtime: podman }"));

        var tree = report.Trees[0];
        Assert.Equal(StageStatus.Pass, tree.Build.Status);
        foreach (var build in tree.Builds)
        {
            Assert.Equal("podman", build.Runtime);
            Assert.Matches("^(sha256:)?[0-9a-f]{64}$", build.Image);
            Assert.True(File.Exists(_kernel.OutputFile(build.Artifacts.Selftests.HmmTests)));
            Assert.StartsWith($"podman --runtime runc run --rm --network=none --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 -v {_kernel.Workspace}/kernel/src/linux:/src:ro ", build.Reproducer);
            Assert.Contains(BuildImage.Tag, build.Reproducer);
        }
        Assert.Equal(["  CC      lib/hmm.o"], File.ReadAllLines(_kernel.OutputFile(tree.Builds[1].Log)).Where(l => l.StartsWith("  CC")));
        Assert.Empty(await Podman.ContainersOfAsync(_kernel.Run.Id));
    }

    [Fact]
    public async Task The_reproducer_rebuilds_the_tree_by_hand()
    {
        await Podman.ReadyAsync(_kernel.Run, _kernel.Output);
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)), _kernel.Config("kernel: { runtime: podman }"));

        var bzImage = Path.Combine(_kernel.Workspace, "kernel/build/tinyconfig+hmm-selftests/arch/x86/boot/bzImage");
        File.Delete(bzImage);
        var again = await ProcessRunner.Default.RunAsync(new ProcessSpec("sh", ["-c", report.Trees[0].Builds[0].Reproducer!]));
        Assert.True(again.Success, again.Error);
        Assert.True(File.Exists(bzImage), again.Output + again.Error);
    }

    [Fact]
    public async Task The_docker_runtime_builds_through_podmans_docker_api_socket()
    {
        await Podman.ReadyAsync(_kernel.Run, _kernel.Output);
        await using var engine = await PodmanDockerService.StartAsync(_kernel.Directory);
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)),
            runtime: runner => new DockerRuntime(runner, _kernel.Run, engine.Environment));

        var build = report.Trees[0].Builds[0];
        Assert.True(build.Status == StageStatus.Pass, build.Reason + build.LogTail);
        Assert.Equal("docker", build.Runtime);
        Assert.StartsWith($"DOCKER_HOST={engine.Environment["DOCKER_HOST"]} docker run --rm --network=none -v ", build.Reproducer);
        Assert.True(File.Exists(_kernel.OutputFile(build.Artifacts.Kernel)));
        Assert.Empty(await Podman.ContainersOfAsync(_kernel.Run.Id));
    }

    [Fact]
    public async Task Through_docker_a_caller_that_is_not_root_owns_what_the_build_wrote()
    {
        await Podman.ReadyAsync(_kernel.Run, _kernel.Output);
        const uint caller = 4242;
        // The caller's own workspace, as it would be for a user that is not root.
        var output = Path.Combine(_kernel.Workspace, "kernel", "build", "tinyconfig+hmm-selftests");
        Directory.CreateDirectory(Path.Combine(output, BuildScript.Folder));
        Directory.CreateDirectory(Path.Combine(_kernel.Workspace, "kernel", "ccache"));
        var chown = await ProcessRunner.Default.RunAsync(new ProcessSpec("chown", ["-R", $"{caller}:{caller}", Path.Combine(_kernel.Workspace, "kernel")]));
        Assert.True(chown.Success, chown.Error);

        await using var engine = await PodmanDockerService.StartAsync(_kernel.Directory);
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)),
            runtime: runner => new DockerRuntime(runner, _kernel.Run, engine.Environment) { User = (caller, caller) });

        var build = report.Trees[0].Builds[0];
        Assert.True(build.Status == StageStatus.Pass, build.Reason + build.LogTail);
        Assert.Contains($" --user {caller}:{caller} ", build.Reproducer);
        var owners = await ProcessRunner.Default.RunAsync(new ProcessSpec("stat", ["-c", "%u", Path.Combine(output, ".config"), Path.Combine(output, "arch/x86/boot/bzImage")]));
        Assert.Equal([$"{caller}", $"{caller}"], owners.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task A_cancelled_build_leaves_no_container_running_or_stopped()
    {
        await Podman.ReadyAsync(_kernel.Run, _kernel.Output);
        var hang = _kernel.Commit("hang", new Dictionary<string, string?> { ["fake/sleep"] = "300\n" });
        using var cancel = new CancellationTokenSource();
        var build = _kernel.BuildAsync(FakeKernel.Report(("rdma", hang, hang)), _kernel.Config("kernel: { runtime: podman }"), cancellation: cancel.Token);

        await ContainerAppearsAsync(build);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => build);
        Assert.Empty(await Podman.ContainersOfAsync(_kernel.Run.Id));
    }

    [Fact]
    public async Task A_bisect_build_that_finishes_first_leaves_the_container_of_the_one_beside_it_running()
    {
        // Longer than podman rm's 10 s between SIGTERM (which the container's sh ignores) and SIGKILL.
        var slow = _kernel.Commit("drm: slow", new Dictionary<string, string?> { ["fake/sleep"] = "20\n" });
        var stage = await BuiltStageAsync();

        var drm = stage.BuildCommitAsync("drm", slow, "bisect-slow", CancellationToken.None);
        await ContainerAppearsAsync(drm);
        // rdma's step is a cache hit: it is over while drm's make still runs.
        var rdma = await stage.BuildCommitAsync("rdma", _kernel.Base, "bisect-fast", CancellationToken.None);
        Assert.True(rdma is { Status: StageStatus.Pass, Cached: true }, rdma.Reason);

        var built = await drm;
        Assert.True(built.Status == StageStatus.Pass, built.Reason + built.LogTail);
        var again = await stage.BuildCommitAsync("drm", slow, "bisect-again", CancellationToken.None);
        Assert.Equal((StageStatus.Pass, true), (again.Status, again.Cached));
        Assert.Empty(await Podman.ContainersOfAsync(_kernel.Run.Id));
    }

    [Fact]
    public async Task A_build_whose_container_is_removed_from_outside_is_not_verified_and_not_cached()
    {
        var hang = _kernel.Commit("hang", new Dictionary<string, string?> { ["fake/sleep"] = "300\n" });
        var stage = await BuiltStageAsync();
        var cache = Path.Combine(_kernel.Workspace, "kernel", "cache");
        var stored = Directory.GetDirectories(cache).Length;

        var build = stage.BuildCommitAsync("rdma", hang, "bisect-hang", CancellationToken.None);
        var containers = await ContainerAppearsAsync(build);
        var rm = await ProcessRunner.Default.RunAsync(new ProcessSpec("podman", ["rm", "--force", "--time", "0", .. containers]));
        Assert.True(rm.Success, rm.Error);

        var record = await build;
        Assert.Equal(StageStatus.Error, record.Status);
        Assert.Matches(@"^the build was stopped from outside before it ended \(exit code 137 in make\): its container was removed or killed$", record.Reason);
        Assert.Equal(stored, Directory.GetDirectories(cache).Length);
    }

    /// <summary>A podman Build stage after its run over the base tree, ready for bisect builds (<see cref="KernelBuildStage.BuildCommitAsync"/>).</summary>
    async Task<KernelBuildStage> BuiltStageAsync()
    {
        await Podman.ReadyAsync(_kernel.Run, _kernel.Output);
        var stage = _kernel.Stage(_kernel.Config("kernel: { runtime: podman }"));
        await stage.RunAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)), CancellationToken.None);
        return stage;
    }

    /// <summary>The ids of the run's containers once the build has started one.</summary>
    async Task<string[]> ContainerAppearsAsync(Task build)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var containers = await Podman.ContainersOfAsync(_kernel.Run.Id);
            if (containers.Length > 0) return containers;
            Assert.True(watch.Elapsed < TimeSpan.FromMinutes(3) && !build.IsCompleted, "the build's container never appeared");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Containers_of_runs_whose_process_is_gone_are_removed_and_those_of_live_runs_are_kept()
    {
        await Podman.ReadyAsync(_kernel.Run, _kernel.Output);
        var gone = await ProcessRunner.Default.RunAsync(new ProcessSpec("sh", ["-c", "echo $$"]));
        var deadPid = int.Parse(gone.Output.Trim());
        var dead = new RunIdentity(_kernel.Run.Id + "-dead", deadPid);
        var live = new RunIdentity(_kernel.Run.Id + "-live", Environment.ProcessId);
        foreach (var run in new[] { dead, live })
        {
            var create = await ProcessRunner.Default.RunAsync(new ProcessSpec("podman", ["create", .. Containers.Labels(run), BuildImage.Tag, "true"]));
            Assert.True(create.Success, create.Error);
        }
        var containers = Containers.Installed(ProcessRunner.Default, _kernel.Run);

        await containers.RemoveOrphansAsync();
        Assert.Empty(await Podman.ContainersOfAsync(dead.Id));
        Assert.Single(await Podman.ContainersOfAsync(live.Id));

        Assert.Equal(1, await containers.RemoveRunAsync(live.Id));
        Assert.Empty(await Podman.ContainersOfAsync(live.Id));
    }

    [Fact]
    public async Task An_engine_that_cannot_start_a_container_makes_every_build_an_error_with_one_line_naming_the_fix()
    {
        var environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = $"unix://{_kernel.Directory.Combine("nothing.sock")}" };
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base), ("drm", _kernel.Base, null)),
            runtime: runner => new DockerRuntime(runner, _kernel.Run, environment));

        var rdma = report.Trees[0];
        Assert.Equal(StageStatus.Error, rdma.Build.Status);
        Assert.Matches(@"^docker cannot reach its engine: .*nothing\.sock.* \(start the Docker daemon, or point DOCKER_HOST at a running engine", rdma.Build.Reason);
        Assert.DoesNotContain('\n', rdma.Build.Reason!);
        Assert.All(rdma.Builds, b => Assert.Equal(rdma.Build.Reason, b.Reason));
        Assert.Equal(StageStatus.Skipped, report.Trees[1].Build.Status);
    }

    [Fact]
    public async Task A_missing_engine_is_named_with_the_package_to_install()
    {
        var report = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)),
            runtime: runner => new AbsentEngine(runner, _kernel.Run));

        Assert.Equal("hmmci-no-such-engine is not installed (apt-get install podman runc)", report.Trees[0].Build.Reason);
    }

    [Theory]
    [InlineData("podman", "podman")]
    [InlineData("docker", "docker")]
    [InlineData("host", "host")]
    [InlineData("auto", "podman,docker")]
    public void The_runtimes_tried_are_the_one_kernel_runtime_names_and_for_auto_podman_then_docker_never_the_host(string runtime, string tried)
    {
        var config = _kernel.Config($"kernel: {{ runtime: {runtime} }}");

        var candidates = RuntimeSelector.Candidates(config.Kernel.Runtime, ProcessRunner.Default, _kernel.Run);

        Assert.Equal(tried.Split(','), candidates.Select(c => c.Name));
    }

    [Fact]
    public async Task Auto_with_no_engine_that_can_start_a_container_says_so_with_every_engines_words_and_the_host_as_the_way_out()
    {
        // Neither engine can run here: docker points at a socket nobody serves, podman reads a storage config it refuses.
        var storage = _kernel.Directory.WriteFile("storage.conf", "[storage]\ndriver = \"hmmci-no-such-driver\"\n");
        var runner = new WithEnvironment(ProcessRunner.Default, new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = $"unix://{_kernel.Directory.Combine("nothing.sock")}",
            ["CONTAINERS_STORAGE_CONF"] = storage,
        });

        var report = FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base));
        await _kernel.Stage(_kernel.Config("kernel: { runtime: auto }"), runner: runner).RunAsync(report, CancellationToken.None);

        var rdma = report.Trees[0];
        Assert.Equal(StageStatus.Error, rdma.Build.Status);
        Assert.Matches(@"^no container engine can start a container: podman cannot reach its engine: .+ \(see 'podman info'\); "
            + @"docker cannot reach its engine: .*nothing\.sock.* \(start the Docker daemon, .*\) \(or set kernel\.runtime: host to build with this machine's toolchain\)$", rdma.Build.Reason);
        Assert.DoesNotContain('\n', rdma.Build.Reason!);
        Assert.All(rdma.Builds, b => Assert.Equal(rdma.Build.Reason, b.Reason));
        Assert.Contains($"build: {rdma.Build.Reason}", _kernel.Lines);
    }

    /// <summary>Every process run with these variables added, as if the machine's engines were configured so.</summary>
    sealed class WithEnvironment(IProcessRunner inner, IReadOnlyDictionary<string, string?> environment) : IProcessRunner
    {
        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellation = default) =>
            inner.RunAsync(spec with { Environment = spec.Environment.Concat(environment.Where(e => !spec.Environment.ContainsKey(e.Key))).ToDictionary() }, cancellation);
    }

    sealed class AbsentEngine(IProcessRunner runner, RunIdentity run) : DockerRuntime(runner, run)
    {
        public override string Executable => "hmmci-no-such-engine";
        protected override string InstallFix => "apt-get install podman runc";
    }
}

/// <summary>podman serving the Docker Engine API on a socket of its own, for the docker runtime's real code path; stopped on dispose.</summary>
sealed class PodmanDockerService : IAsyncDisposable
{
    readonly CancellationTokenSource _stop = new();
    readonly Task<ProcessResult> _serving;

    PodmanDockerService(string socket, string engineSettings)
    {
        Environment = new Dictionary<string, string?> { ["DOCKER_HOST"] = $"unix://{socket}" };
        _serving = ProcessRunner.Default.RunAsync(new ProcessSpec("podman", ["system", "service", "--time=0", $"unix://{socket}"])
        {
            Environment = new Dictionary<string, string?> { ["CONTAINERS_CONF"] = engineSettings },
        }, _stop.Token);
    }

    /// <summary>DOCKER_HOST for the docker CLI.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    public static async Task<PodmanDockerService> StartAsync(TempDirectory directory)
    {
        var socket = directory.Combine("podman.sock");
        // The service starts containers as podman here needs them (runc, explicit ulimits): the engine's settings, not the client's.
        var engineSettings = directory.WriteFile("containers.conf",
            "[containers]\ndefault_ulimits = [\"nofile=1024:1024\", \"nproc=1024:1024\"]\n[engine]\nruntime = \"runc\"\n");
        var service = new PodmanDockerService(socket, engineSettings);
        for (var i = 0; i < 100 && !File.Exists(socket); i++) await Task.Delay(100);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _serving;
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }
}
