using HmmCi.Config;
using HmmCi.Kernel.Runtimes;
using HmmCi.Kernel;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Kernel;

/// <summary>
/// The real thing: Linux 6.1 with the default config (tinyconfig + hmm-selftests) in podman, then the same tree
/// with lib/test_hmm.c changed, incrementally. Cold, a few minutes on 2 cores; the ccache is kept in the test cache
/// folder, so later runs on the same machine are quicker.
/// </summary>
public sealed class RealKernelBuildTests
{
    [Fact]
    public async Task Linux_6_1_builds_a_bzImage_and_a_static_hmm_tests_in_podman_and_the_merged_tree_recompiles_only_lib_test_hmm()
    {
        using var dir = new TempDirectory();
        var tree = await LinuxSource.RepositoryAsync();
        var head = (await ProcessRunner.Default.RunAsync(new ProcessSpec("git", ["-C", tree, "rev-parse", "v6.1^{commit}"]))).Output.Trim();
        var testHmm = File.ReadAllText(Path.Combine(tree, "lib/test_hmm.c"));
        var merged = await LinuxSource.CommitAsync(tree, "lib/test_hmm: a comment", "lib/test_hmm.c", testHmm + "/* merged */\n");
        var run = RunIdentity.New();
        var workspace = dir.Combine("workspace");
        Directory.CreateDirectory(Path.Combine(workspace, "kernel"));
        var ccache = Path.Combine(LinuxSource.CacheRoot, "ccache");
        Directory.CreateDirectory(ccache);
        Directory.CreateSymbolicLink(Path.Combine(workspace, "kernel", "ccache"), ccache);
        await Podman.ReadyAsync(run, dir.Path);

        var config = ConfigLoader.Parse($"topic: {{ name: hmm, url: {tree}, branch: master }}\nmainline: {{ url: {tree}, branch: master }}\ntrees: [{{ name: mm, url: {tree}, branch: master }}]\nkernel: {{ runtime: podman }}\n", dir.WriteFile("hmmci.yml", ""));
        var report = FakeKernel.Report(("mm", head, merged));
        var lines = new List<string>();
        await new KernelBuildStage(new KernelBuildStage.Settings(config, Path.Combine(tree, ".git"), workspace, dir.Combine("out"), run), ProcessRunner.Default,
            line => { lock (lines) lines.Add(line); }).RunAsync(report, CancellationToken.None);

        var builds = report.Trees[0].Builds;
        Assert.True(report.Trees[0].Build.Status == StageStatus.Pass, string.Join("\n", builds.Select(b => $"{b.Kind}: {b.Reason}\n{b.LogTail}")));
        foreach (var build in builds)
        {
            Assert.True(new FileInfo(Path.Combine(dir.Combine("out"), build.Artifacts.Kernel!)).Length > 500_000);
            Assert.True(File.Exists(Path.Combine(dir.Combine("out"), build.Artifacts.Headers!, "include/linux/mman.h")));
            var hmmTests = Path.Combine(dir.Combine("out"), build.Artifacts.Selftests.HmmTests!);
            Assert.True(Elf.IsStatic(hmmTests));
            Assert.Equal([SelftestSources.TriggerFix], build.Artifacts.Selftests.HarnessFixes);
        }
        var compiled = File.ReadAllLines(Path.Combine(dir.Combine("out"), builds[1].Log!)).Where(l => l.StartsWith("  CC ")).ToList();
        Assert.Contains("  CC      lib/test_hmm.o", compiled);
        Assert.True(compiled.Count < 10, string.Join("\n", compiled));
        Assert.Contains(lines, l => l.Contains("objects compiled"));
        Assert.Empty(await Podman.ContainersOfAsync(run.Id));
    }
}
