using HmmCi.Reports;
using HmmCi.Tests.Fixtures;
using HmmCi.Tests.Kernel;
using HmmCi.Trees;

namespace HmmCi.Tests.Selftests;

/// <summary>
/// ./build.sh Selftests end to end over the fake tree: Fetch, Merge and Build feed the stage through the report, the
/// bisect steps are real incremental builds, and <c>runner: command</c> plays a lab that boots each kernel: v6.1's
/// console for a kernel without the topic's breaking commit, T5's with it.
/// </summary>
public sealed class SelftestsPipelineTests : IDisposable
{
    readonly FakeKernel _kernel = new();

    public void Dispose() => _kernel.Dispose();

    /// <summary>A string the breaking commit puts into lib/, and so into the fake bzImage (its objects concatenated).</summary>
    const string Breaks = "hmmci-breaks-the-mirror-reads";

    [Fact]
    public void Selftests_alone_lists_the_topics_commits_and_bisects_the_regression_to_the_commit_that_caused_it()
    {
        static string Signed(string subject) => $"{subject}\n\nSigned-off-by: Alice Author <alice@example.org>\n";
        var t1 = _kernel.Commit(Signed("mm/hmm: tune fake_hmm"), new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 2; }\n" });
        var t2 = _kernel.Commit(Signed("lib/test_hmm: break the mirror reads"), new Dictionary<string, string?> { ["lib/extra.c"] = $"const char fake_extra[] = \"{Breaks}\";\n" }, t1);
        var t3 = _kernel.Commit(Signed("mm/hmm: tune fake_hmm again"), new Dictionary<string, string?> { ["lib/hmm.c"] = "int fake_hmm(int x) { return x + 3; }\n" }, t2);
        var rdma = _kernel.Commit(Signed("RDMA: touch main"), new Dictionary<string, string?> { ["lib/main.c"] = "int fake_main(void) { return 3; }\n" });
        var repo = _kernel.Repo;
        foreach (var (branch, sha) in new[] { ("master", _kernel.Base), ("hmm", t3), ("for-next", rdma) })
            repo.Git("branch", "-f", branch, sha);
        var (good, bad) = (KtapParserTests.DataFile("qemu-tcg-v6.1.console.log"), KtapParserTests.DataFile("qemu-tcg-v6.1-t5.console.log"));
        var config = _kernel.Directory.WriteFile("hmmci.yml", $"""
            topic:    {"{"} name: hmm, url: {repo.Path}, branch: hmm {"}"}
            mainline: {"{"} url: {repo.Path}, branch: master {"}"}
            trees:
              - {"{"} name: rdma, url: {repo.Path}, branch: for-next {"}"}
            kernel: {"{"} runtime: host, focused: {"{"} configs: [] {"}"} {"}"}
            selftests:
              runner: command
              command: 'if grep -q {Breaks} "$HMMCI_KERNEL"; then cat {bad}; else cat {good}; fi'
            """);

        var run = PipelineRun.Execute(_kernel.Directory, null, "Selftests", "--config", config);

        var report = ReportJson.Deserialize(File.ReadAllText(Path.Combine(run.OutputDirectory, "report.json")));
        Assert.DoesNotContain(report.Stages, s => s.Name == "Check");
        Assert.Equal(StageStatus.Pass, report.Stages.Single(s => s.Name == "Selftests").Status);
        Assert.Equal([new CommitRef(t1, "mm/hmm: tune fake_hmm"), new CommitRef(t2, "lib/test_hmm: break the mirror reads"),
            new CommitRef(t3, "mm/hmm: tune fake_hmm again")], report.Topic.Commits);
        var selftests = report.Trees.Single().Selftests;
        Assert.Equal(StageStatus.Fail, selftests.Status);
        Assert.Equal(t2, selftests.Culprit?.TopicCommit.Sha);
        Assert.Equal([(t1, "good: the regressed tests pass"), (t2, "bad: 14 of 14 regressed tests fail")],
            selftests.Bisect.Select(s => (s.Commit.Sha, s.Result)));
    }
}
