using HmmCi.Config;
using HmmCi.Kernel;
using HmmCi.Reports;

namespace HmmCi.Tests.Kernel;

/// <summary>The result cache: keyed on the inputs alone, a hit hands back the result and its files.</summary>
public sealed class BuildCacheTests : IDisposable
{
    readonly FakeKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    static readonly BuildInputs Inputs = new(new string('a', 40), KernelBuildConfig.Default, "sha256:1", "mm/hmm-tests.c", "harness");

    public static TheoryData<string> Changes => ["tree", "base", "fragment", "fragment-file", "boot", "image", "hmm-tests", "harness", "name-only"];

    [Theory]
    [MemberData(nameof(Changes))]
    public void Every_input_that_changes_the_result_changes_the_key_and_nothing_else_does(string change)
    {
        var changed = change switch
        {
            "tree" => Inputs with { SourceTree = new string('b', 40) },
            "base" => Inputs with { Config = KernelBuildConfig.Default with { Base = "defconfig" } },
            "fragment" => Inputs with { Config = KernelBuildConfig.Default with { Fragments = [BundledFragments.HmmSelftests with { Content = "CONFIG_TEST_HMM=m\n" }] } },
            // The script merges a file named after the fragment.
            "fragment-file" => Inputs with { Config = KernelBuildConfig.Default with { Fragments = [BundledFragments.HmmSelftests with { Name = "x" }] } },
            "boot" => Inputs with { Config = KernelBuildConfig.Default with { Boot = false } },
            "image" => Inputs with { Image = "sha256:2" },
            "hmm-tests" => Inputs with { HmmTests = "vm/hmm-tests.c" },
            "harness" => Inputs with { Harness = "fixed harness" },
            // A config's name and where a fragment came from are labels, not inputs.
            _ => Inputs with { Config = KernelBuildConfig.Default with { Name = "renamed", Fragments = [BundledFragments.HmmSelftests with { File = "x.config", FirstLine = 7 }] } },
        };
        if (change == "name-only") Assert.Equal(Inputs.Key(), changed.Key());
        else Assert.NotEqual(Inputs.Key(), changed.Key());
        Assert.Equal(Inputs.Key(), (Inputs with { }).Key());
    }

    [Fact]
    public async Task An_unchanged_rerun_reuses_every_result_and_its_files_without_building()
    {
        var merged = _kernel.Commit("change", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var first = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, merged)));
        var firstLog = File.ReadAllText(_kernel.OutputFile(first.Trees[0].Builds[1].Log));
        // A build would notice: the work tree is gone.
        Directory.Delete(Path.Combine(_kernel.Workspace, "kernel", "src"), recursive: true);
        Directory.Delete(_kernel.Output, recursive: true);

        var again = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, merged)));

        Assert.All(again.Trees[0].Builds, b => Assert.True(b.Cached));
        Assert.False(Directory.Exists(Path.Combine(_kernel.Workspace, "kernel", "src")));
        Assert.Equal(StageStatus.Pass, again.Trees[0].Build.Status);
        var build = again.Trees[0].Builds[1];
        Assert.Equal(first.Trees[0].Builds[1].DurationMs, build.DurationMs);
        Assert.Equal(firstLog, File.ReadAllText(_kernel.OutputFile(build.Log)));
        Assert.True(File.Exists(_kernel.OutputFile(build.Artifacts.Kernel)));
        Assert.True(File.Exists(_kernel.OutputFile(build.Artifacts.Selftests.HmmTests)));
        Assert.Equal([SelftestSources.TriggerFix], build.Artifacts.Selftests.HarnessFixes);
    }

    [Fact]
    public async Task A_changed_fragment_or_harness_setting_builds_again()
    {
        await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)));

        var fragment = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)), _kernel.Config(
            "kernel: { runtime: host, configs: [{ name: tinyconfig+hmm-selftests, base: tinyconfig, fragments: [hmm-selftests, CONFIG_KASAN=y], boot: true }] }"));
        Assert.False(fragment.Trees[0].Builds[0].Cached);
        Assert.True(fragment.Trees[0].Builds[1].Cached);

        var harness = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)), _kernel.Config("kernel: { runtime: host }\nselftests: { harnessFixes: false }"));
        Assert.False(harness.Trees[0].Builds[0].Cached);
        Assert.Empty(harness.Trees[0].Builds[0].Artifacts.Selftests.HarnessFixes);
    }

    [Fact]
    public async Task A_merged_tree_that_fails_to_compile_is_a_hit_too_but_a_timeout_never_is()
    {
        var broken = _kernel.Commit("break", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return nope(x); }\n" });
        await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, broken)));
        var again = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, broken)));

        var merged = again.Trees[0].Builds[1];
        Assert.True(merged.Cached);
        Assert.Equal(StageStatus.Fail, merged.Status);
        Assert.Contains("nope", merged.LogTail);
        Assert.Equal(StageStatus.Fail, again.Trees[0].Build.Status);
    }

    [Fact]
    public async Task A_hit_is_judged_again_from_the_stored_log_as_a_fresh_build_is()
    {
        var broken = _kernel.Commit("break", new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return nope(x); }\n" });
        var first = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, broken)));
        Assert.Contains("nope", first.Trees[0].Builds[1].Reason);
        // What another reading of the same build would see: the stored log says another error and one more warning.
        var stored = Directory.GetFiles(Path.Combine(_kernel.Workspace, "kernel", "cache"), "build.log", SearchOption.AllDirectories)
            .Single(f => File.ReadAllText(f).Contains("nope"));
        File.WriteAllText(stored, File.ReadAllText(stored).Replace("nope", "nada")
            .Replace("  CC      lib/hmm.o\n", "  CC      lib/hmm.o\nlib/hmm.c:1:5: warning: unused variable 'y' [-Wunused-variable]\n"));

        var again = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, broken)));

        var merged = again.Trees[0].Builds[1];
        Assert.True(merged.Cached);
        Assert.Equal(StageStatus.Fail, merged.Status);
        Assert.Contains("nada", Assert.Single(merged.Errors).Message);
        Assert.Contains("nada", merged.Reason);
        Assert.DoesNotContain("nope", merged.Reason);
        Assert.Contains("nada", merged.LogTail);
        Assert.Equal(first.Trees[0].Builds[1].Warnings + 1, merged.Warnings);
        Assert.Contains("nada", again.Trees[0].Build.Reason);
        Assert.Equal(["unused variable 'y'"], again.Trees[0].Build.NewWarnings.Select(w => w.Message));
    }

    [Fact]
    public async Task A_hit_that_todays_judge_reads_as_the_machines_failure_builds_again()
    {
        await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)));
        foreach (var log in Directory.GetFiles(Path.Combine(_kernel.Workspace, "kernel", "cache"), "build.log", SearchOption.AllDirectories))
            File.AppendAllText(log, "cp: error writing 'hmmci/hmm-tests': No space left on device\n");

        var again = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)));

        Assert.Equal([false, true], again.Trees[0].Builds.Select(b => b.Cached));
        Assert.All(again.Trees[0].Builds, b => Assert.Equal(StageStatus.Pass, b.Status));
        // The build that replaced it is stored.
        var third = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)));
        Assert.All(third.Trees[0].Builds, b => Assert.True(b.Cached));
    }

    [Fact]
    public async Task A_changed_build_recipe_misses_the_cache()
    {
        // The same fragment under another file name: the script merges another file, the log says so.
        _kernel.Directory.WriteFile("kasan.config", "CONFIG_KASAN=y\n");
        _kernel.Directory.WriteFile("debug.config", "CONFIG_KASAN=y\n");
        string Kernel(string fragment) => $"kernel: {{ runtime: host, configs: [{{ name: kasan, base: tinyconfig, fragments: [{fragment}] }}] }}";
        await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)), _kernel.Config(Kernel("kasan.config")));

        var renamed = await _kernel.BuildAsync(FakeKernel.Report(("rdma", _kernel.Base, _kernel.Base)), _kernel.Config(Kernel("debug.config")));

        Assert.False(renamed.Trees[0].Builds[0].Cached);
        Assert.Contains("debug.config", File.ReadAllText(_kernel.OutputFile(renamed.Trees[0].Builds[0].Log)));
        Assert.True(renamed.Trees[0].Builds[1].Cached);
    }
}
