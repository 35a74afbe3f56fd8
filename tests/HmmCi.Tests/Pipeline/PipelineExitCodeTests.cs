using System.Text.Json;
using HmmCi.Build.Engine;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Pipeline;

public class PipelineExitCodeTests : IDisposable
{
    private readonly TopicScenario _scenario = new();

    public PipelineExitCodeTests()
    {
        _scenario.Branch("hmm");
        _scenario.Upstream.Commit("mm/hmm: tidy hmm_range_fault()\n\nSigned-off-by: Alice Author <alice@example.org>\n", "mm/hmm.c", "int hmm_range_fault(void) { return 1; }\n");
        _scenario.Branch("for-next");
        _scenario.Upstream.Commit("RDMA/core: add a driver file\n\nSigned-off-by: Alice Author <alice@example.org>\n", "drivers/infiniband/core.c", "int x;\n");
        _scenario.Upstream.Checkout("master");
    }

    public void Dispose() => _scenario.Dispose();

    private PipelineRun Run(params string[] args) => PipelineRun.Execute(_scenario.Directory, null, args);

    [Fact]
    public void A_fetch_only_run_writes_the_fixed_report_fields_and_is_incomplete_because_nothing_was_verified()
    {
        var config = _scenario.WriteConfig([("rdma", "for-next")]);
        var run = Run("Fetch", "--config", config);

        Assert.Equal(PipelineBuild.ExitIncomplete, run.ExitCode);
        var report = run.Report;
        Assert.Equal("incomplete", report.GetProperty("verdict").GetString());
        var reasons = report.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("stage Check: did not run", reasons);
        Assert.Contains("stage Selftests: did not run", reasons);
        var upstream = _scenario.Upstream;
        Assert.Equal(upstream.Git("rev-parse", "hmm").Trim(), report.GetProperty("topic").GetProperty("head").GetString());
        Assert.Equal(upstream.Git("rev-parse", "v6.1^{commit}").Trim(), report.GetProperty("topic").GetProperty("base").GetString());
        Assert.Equal("hmm", report.GetProperty("topic").GetProperty("name").GetString());
        Assert.Equal(["Prerequisites", "Sample", "Fetch"], report.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.All(report.GetProperty("stages").EnumerateArray(), s => Assert.True(s.GetProperty("durationMs").GetInt64() >= 0));
        Assert.Equal("skipped", report.GetProperty("stages")[1].GetProperty("status").GetString());

        var tree = report.GetProperty("trees").EnumerateArray().Single();
        Assert.Equal("rdma", tree.GetProperty("name").GetString());
        Assert.Equal(upstream.Git("rev-parse", "for-next").Trim(), tree.GetProperty("head").GetString());
        Assert.Equal("incomplete", tree.GetProperty("verdict").GetString());
        Assert.Equal(["merge: skipped (Merge did not run)", "build: skipped (Build did not run)", "selftests: skipped (Selftests did not run)"],
            tree.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        foreach (var field in new[] { "merge", "build", "selftests" })
            Assert.Equal("skipped", tree.GetProperty(field).GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Array, tree.GetProperty("duplicates").ValueKind);
        Assert.Equal(JsonValueKind.Array, report.GetProperty("checks").ValueKind);
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory, "report.md")));
    }

    [Fact]
    public void The_default_run_builds_marks_the_selftests_not_implemented_and_exits_1()
    {
        // The scenario's tree is no kernel: its build fails at the first make, with kconfig's step named.
        var run = Run("--config", _scenario.WriteConfig([("rdma", "for-next")], extra: "kernel: { runtime: host }\n"));

        Assert.Equal(1, run.ExitCode);
        var report = run.Report;
        Assert.Equal("not-ready", report.GetProperty("verdict").GetString());
        var stages = report.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal("pass", stages["Build"]);
        Assert.Equal("pass", stages["Selftests"]);
        var tree = report.GetProperty("trees")[0];
        var build = tree.GetProperty("build");
        Assert.Equal("fail", build.GetProperty("status").GetString());
        Assert.StartsWith("the merged tree does not build: tinyconfig+hmm-selftests: make tinyconfig failed: ", build.GetProperty("reason").GetString());
        // Selftests boot what Build made: nothing.
        Assert.Equal("skipped", tree.GetProperty("selftests").GetProperty("status").GetString());
        Assert.Equal("build failed", tree.GetProperty("selftests").GetProperty("reason").GetString());
    }

    [Fact]
    public void A_tree_that_cannot_be_fetched_fails_alone_with_the_remotes_words()
    {
        var missing = _scenario.Directory.Combine("no-such-repo.git");
        var config = _scenario.WriteConfig([("rdma", "for-next"), ("drm", "drm-next")]);
        File.WriteAllText(config, File.ReadAllText(config).Replace($"name: drm, url: {_scenario.Upstream.Path}", $"name: drm, url: {missing}")
            + $"  - {{ name: mm, url: {_scenario.Upstream.Path}, branch: mm-unstable }}\n");

        var run = Run("Fetch", "--config", config);

        // A tree that failed to fetch was not verified: that is incomplete, not a problem found.
        Assert.Equal(PipelineBuild.ExitIncomplete, run.ExitCode);
        var trees = run.Report.GetProperty("trees").EnumerateArray().ToDictionary(t => t.GetProperty("name").GetString()!);
        Assert.Equal(JsonValueKind.Null, trees["rdma"].GetProperty("error").ValueKind);
        Assert.Equal(_scenario.Upstream.Git("rev-parse", "for-next").Trim(), trees["rdma"].GetProperty("head").GetString());
        Assert.Contains("does not appear to be a git repository", trees["drm"].GetProperty("error").GetString());
        Assert.Equal("incomplete", trees["drm"].GetProperty("verdict").GetString());
        Assert.Contains("couldn't find remote ref refs/heads/mm-unstable", trees["mm"].GetProperty("error").GetString());
        Assert.Equal(JsonValueKind.Null, trees["mm"].GetProperty("head").ValueKind);
    }

    [Fact]
    public void A_bad_config_exits_2_with_a_one_line_reason_and_no_report()
    {
        var config = _scenario.WriteConfig([("rdma", "for-next")]);
        File.WriteAllText(config, File.ReadAllText(config).Replace("branch: master", "brnch: master"));

        var run = Run("--config", config);

        Assert.Equal(PipelineBuild.ExitBadInput, run.ExitCode);
        Assert.Equal($"{config}:2:{File.ReadAllLines(config)[1].IndexOf("brnch", StringComparison.Ordinal) + 1}: unknown key 'mainline.brnch' (did you mean 'branch'?)", run.Host.Errors.Single());
        Assert.False(File.Exists(Path.Combine(run.OutputDirectory, "report.json")));
    }

    [Fact]
    public void An_unknown_tree_filter_exits_2()
    {
        var run = Run("Fetch", "--config", _scenario.WriteConfig([("rdma", "for-next")]), "--tree", "drm");
        Assert.Equal(PipelineBuild.ExitBadInput, run.ExitCode);
        Assert.StartsWith("--tree: no tree named drm", run.Host.Errors.Single());
    }

    [Fact]
    public void The_tree_filter_and_parameters_from_the_environment_apply()
    {
        var config = _scenario.WriteConfig([("rdma", "for-next"), ("drm", "drm-next")]);
        var output = _scenario.Directory.Combine("from-env");
        var run = PipelineRun.Execute(_scenario.Directory,
            new Dictionary<string, string> { ["HMMCI_CONFIG"] = config, ["HMMCI_TREE"] = "rdma", ["HMMCI_OUTPUT"] = output },
            "Fetch");

        Assert.True(File.Exists(Path.Combine(output, "report.json")));
        Assert.Equal(PipelineBuild.ExitIncomplete, run.ExitCode);
        Assert.Equal(["rdma"], run.Report.GetProperty("trees").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
    }

    [Fact]
    public void When_HmmCi_itself_fails_the_report_is_still_written_and_the_exit_code_is_3()
    {
        var script = _scenario.Directory.WriteFile("broken-sample.sh", "echo 'sample: cannot build' >&2\nexit 7\n");
        var config = _scenario.WriteConfig([("rdma", "for-next")], extra: $"sample: {{ script: {script}, output: out }}\n");

        var run = Run("Fetch", "--config", config);

        Assert.Equal(PipelineBuild.ExitToolFailure, run.ExitCode);
        Assert.Contains("sample: cannot build", run.Host.Lines);
        var stages = run.Report.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal("fail", stages["Sample"]);
        Assert.Equal("not-run", stages["Fetch"]);
    }

    [Theory]
    [InlineData("Merge", "--skip", "Fetch")]
    [InlineData("Check", "--skip")]
    public void Skipping_Fetch_skips_the_stages_that_read_the_store_instead_of_failing(params string[] args)
    {
        var run = Run([.. args, "--config", _scenario.WriteConfig([("rdma", "for-next")])]);

        Assert.Equal(PipelineBuild.ExitIncomplete, run.ExitCode);
        var stages = run.Report.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal("skipped", stages["Fetch"].GetProperty("status").GetString());
        var stage = stages[args[0]];
        Assert.Equal("skipped", stage.GetProperty("status").GetString());
        Assert.Equal("Fetch did not run", stage.GetProperty("reason").GetString());
        Assert.Empty(run.Host.Errors);
    }
}
