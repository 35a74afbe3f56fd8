using HmmCi.Config;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Tests.Reports;

public class ReportJsonTests
{
    static readonly CommitRef Topic = new("0123456789abcdef0123456789abcdef01234567", "mm/hmm: replace hmm_pfn_to_map_order()");
    static readonly CommitRef Downstream = new("fedcba9876543210fedcba9876543210fedcba98", "RDMA/odp: use the mapping order");

    /// <summary>A report with every list and optional field filled, so nothing can be dropped unseen.</summary>
    static MergeReadinessReport Full()
    {
        var report = new MergeReadinessReport
        {
            GeneratedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
            Config = "/x/hmmci.yml",
            Topic = new TopicReport { Name = "hmm", Url = "u", Branch = "hmm", Head = Topic.Sha, Base = Downstream.Sha, BaseTag = "v6.1" },
            Mainline = new MainlineReport { Url = "m", Branch = "master", Head = Downstream.Sha },
            MergeWindow = new MergeWindowReport
            {
                Status = MergeStatus.Conflict,
                Steps = [new MergeWindowStep("drm", Downstream.Sha, MergeStatus.Conflict, "left out")],
                Conflicts = [new MergeWindowConflict { Path = "a.c", Kind = "content", Trees = ["hmm", "drm"], Sides = [new MergeWindowSide("drm", [Downstream])] }],
                Builds = [Build(BuildKind.MergeWindow)],
            },
        };
        report.Reasons.Add("tree drm: merge conflict in a.c");
        report.Notes.Add("tree rdma: selftests: flaky test");
        report.Stages.Add(new StageReport("Check", StageStatus.Pass, 12, null));
        report.Stages.Add(new StageReport("Build", StageStatus.Cancelled, 12, "SIGTERM after 0.0 s"));
        report.Checks.Add(new CheckFinding("signed-off-by", Severity.Error, Topic.Sha, "missing"));
        report.Topic.Commits.Add(Topic);
        report.Topic.Builds.Add(Build(BuildKind.Topic));
        var tree = new TreeReport { Name = "rdma", Url = "r", Branch = "for-next", Head = Downstream.Sha, Verdict = Verdict.NotReady };
        tree.Reasons.Add("build: failed");
        tree.Notes.Add("selftests: flaky test");
        tree.Duplicates.Add(new DuplicateCommit(Topic.Sha, Downstream.Sha, "s"));
        tree.Merge = new MergeReport
        {
            Status = MergeStatus.Clean, Tree = Topic.Sha, Commit = Downstream.Sha, Resolution = "resolutions/rdma",
            Conflicts = [new ConflictReport { Path = "b.c", Kind = "content", TopicCommits = [Topic], TreeCommits = [Downstream], Resolution = ResolutionStatus.Applied }],
        };
        tree.Builds.Add(Build(BuildKind.Baseline));
        tree.Builds.Add(Build(BuildKind.Merged));
        tree.Build = new BuildReport { Status = StageStatus.Fail, Reason = "1 new error", Errors = [Diagnostic()], NewWarnings = [Diagnostic() with { Severity = "warning" }] };
        tree.Selftests = new SelftestsReport
        {
            Status = StageStatus.Fail, Accelerator = "tcg", DurationMs = 6000,
            Tests = [new SelftestResult("hmm.hmm_device_private.anon_read", TestStatus.Fail, TestStatus.Pass) { Diagnostics = ["Expected 1023 == 1024"], Flaky = false }],
            Runs = [new SelftestRun { Kind = "merged", Commit = Topic.Sha, Status = StageStatus.Fail, Console = "selftests/rdma-merged.log", Passed = 38, Failed = 18, Skipped = 2,
                KernelProblems = [new KernelProblem("WARNING", "anon_read", ["WARNING: at mm/hmm.c:1"])] }],
            Culprit = new Culprit(Topic, null, "rdma", "Caused by commit 0123456789ab (\"mm/hmm: replace hmm_pfn_to_map_order()\")."),
            Bisect = [new BisectStep(Topic, "bad", 7000)],
        };
        report.Trees.Add(tree);
        return report;
    }

    static BuildDiagnostic Diagnostic() => new("lib/test_hmm.c", 123, "implicit declaration of function 'hmm_pfn_to_map_order'")
    {
        Column = 9, Severity = "error", Flag = "-Werror=implicit-function-declaration", Context = ["lib/test_hmm.c: In function 'dmirror_do_fault':"],
        Culprit = new Culprit(Topic, Downstream, "mm", "Caused by commit 0123456789ab interacting with commit fedcba987654 from the mm tree."),
    };

    static BuildRecord Build(BuildKind kind) => new()
    {
        Kind = kind, Config = "tinyconfig+hmm-selftests", Runtime = "podman", Image = "sha256:abc", Commit = Topic.Sha, SourceTree = Downstream.Sha,
        Status = StageStatus.Pass, DurationMs = 150_000, Errors = [Diagnostic()], Warnings = 3, NewWarnings = [Diagnostic()],
        Log = "builds/rdma-merged.log", LogTail = "make: *** Error 2", Reproducer = "podman run ...", Cached = true,
        Artifacts = new BuildArtifacts { Kernel = "builds/rdma/bzImage", Headers = "builds/rdma/headers", Selftests = new SelftestArtifacts { HmmTests = "builds/rdma/hmm-tests", HarnessFixes = ["kselftest-harness-trigger"] } },
        Candidates = [new FocusedFile("drivers/infiniband/core/umem_odp.c", "uses hmm_pfn_to_map_order, which the topic removed")],
        NotCompiled = [new FocusedFile("arch/arm64/mm/x.c", "not compiled: an architecture file")],
    };

    [Fact]
    public void Report_json_reads_back_into_the_model_unchanged()
    {
        var first = ReportJson.Serialize(Full());
        var second = ReportJson.Serialize(ReportJson.Deserialize(first));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Get_only_lists_survive_reading_back()
    {
        var read = ReportJson.Deserialize(ReportJson.Serialize(Full()));
        Assert.Single(read.Reasons);
        Assert.Single(read.Trees);
        Assert.Equal(2, read.Trees[0].Builds.Count);
        Assert.Single(read.Topic.Builds);
        Assert.Equal("builds/rdma/hmm-tests", read.Trees[0].Builds[0].Artifacts.Selftests.HmmTests);
        Assert.Contains("\"hmm-tests\": \"builds/rdma/hmm-tests\"", ReportJson.Serialize(read));
    }
}
