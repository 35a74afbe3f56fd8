using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Pipeline;

public class PipelinePrerequisitesTests : IDisposable
{
    private readonly TopicScenario _scenario = new();

    public PipelinePrerequisitesTests()
    {
        _scenario.Branch("hmm");
        _scenario.Upstream.Commit("mm/hmm: tidy hmm_range_fault()\n\nSigned-off-by: Alice Author <alice@example.org>\n", "mm/hmm.c", "int hmm_range_fault(void) { return 1; }\n");
        _scenario.Upstream.Checkout("master");
    }

    public void Dispose() => _scenario.Dispose();

    [Fact]
    public void A_check_run_asks_for_git_alone()
    {
        var run = PipelineRun.Execute(_scenario.Directory, null, "Check", "--config", _scenario.WriteConfig([("rdma", "master")]));
        Assert.Contains("Debian packages: git (the trees)", run.Host.Lines);
    }

    [Fact]
    public void The_packages_follow_the_plan_and_the_configured_runtime()
    {
        var config = _scenario.WriteConfig([("rdma", "master")], extra: "kernel: { runtime: host }\n");

        var full = PipelineRun.Execute(_scenario.Directory, null, "Selftests", "--config", config);
        var skipped = PipelineRun.Execute(_scenario.Directory, null, "Selftests", "--config", config, "--skip", "Build", "Selftests");

        Assert.Contains("Debian packages: git (the trees); gcc make bc bison flex libelf-dev libssl-dev cpio xz-utils rsync kmod (Build on the host, kernel.runtime: host); "
            + "qemu-system-x86 busybox-static (Selftests)", full.Host.Lines);
        Assert.Contains("Debian packages: git (the trees)", skipped.Host.Lines);
    }
}
