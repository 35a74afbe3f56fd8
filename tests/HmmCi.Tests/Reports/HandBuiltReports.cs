using HmmCi.Config;
using HmmCi.Merging;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Tests.Reports;

/// <summary>Reports with every kind of problem, as the Build and Selftests stages will fill them.</summary>
public static class HandBuiltReports
{
    public static readonly CommitRef TopicCommit = new("0123456789abcdef0123456789abcdef01234567", "mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()");
    public static readonly CommitRef DrmCommit = new("fedcba9876543210fedcba9876543210fedcba98", "drm/nouveau: use the mapping order");
    public static readonly CommitRef RdmaCommit = new("1111111111112222222222223333333333334444", "RDMA/odp: use hmm_pfn_to_map_order()");

    public const string CulpritSentence = "Caused by commit 0123456789ab (\"mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()\") interacting with commit fedcba987654 (\"drm/nouveau: use the mapping order\") from the drm tree.";

    public static MergeReadinessReport Full()
    {
        var report = new MergeReadinessReport
        {
            GeneratedAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero),
            Topic = new TopicReport { Name = "hmm", Url = "https://git.kernel.org/pub/scm/linux/kernel/git/rdma/rdma.git", Branch = "hmm", Head = TopicCommit.Sha, Base = new string('b', 40), BaseTag = "v6.1" },
            Mainline = new MainlineReport { Url = "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git", Branch = "master", Head = new string('b', 40) },
        };
        report.Topic.Commits.Add(TopicCommit);
        report.Stages.AddRange(Readiness.VerifyingStages.Select(s => new StageReport(s, StageStatus.Pass, 1500, null)));
        report.Checks.Add(new CheckFinding("signed-off-by", Severity.Error, TopicCommit.Sha, $"Commit {TopicCommit} is missing a Signed-off-by from its committer"));

        var drm = new TreeReport { Name = "drm", Url = "https://gitlab.freedesktop.org/drm/kernel.git", Branch = "drm-next", Head = DrmCommit.Sha };
        drm.Merge = new MergeReport { Status = MergeStatus.Clean, Commit = new string('d', 40), Tree = new string('e', 40) };
        var culprit = new Culprit(TopicCommit, DrmCommit, "drm", CulpritSentence);
        var error = new BuildDiagnostic("drivers/gpu/drm/nouveau/nouveau_svm.c", 642, "implicit declaration of function 'hmm_pfn_to_map_order'; did you mean 'hmm_pfn_to_map_shift'?")
        {
            Column = 17, Severity = "error", Flag = "-Werror=implicit-function-declaration",
            Context = ["drivers/gpu/drm/nouveau/nouveau_svm.c: In function 'nouveau_hmm_convert_pfn':"], Culprit = culprit,
        };
        var warning = new BuildDiagnostic("drivers/gpu/drm/nouveau/nouveau_svm.c", 650, "unused variable 'order'") { Column = 6, Severity = "warning", Flag = "-Wunused-variable" };
        drm.Builds.Add(new BuildRecord { Kind = BuildKind.Baseline, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Pass, DurationMs = 61_000, Warnings = 3 });
        drm.Builds.Add(new BuildRecord
        {
            Kind = BuildKind.Merged, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Fail, DurationMs = 65_000, Commit = new string('d', 40),
            Errors = [error], NewWarnings = [warning], Warnings = 4, Log = "logs/drm-merged.log",
            LogTail = "make[4]: *** [scripts/Makefile.build:250: drivers/gpu/drm/nouveau/nouveau_svm.o] Error 1",
            Reproducer = "tuxmake --runtime podman --target-arch x86_64 --kconfig tinyconfig",
        });
        drm.Build = new BuildReport { Status = StageStatus.Fail, Errors = [error], NewWarnings = [warning] };
        drm.Selftests = new SelftestsReport { Status = StageStatus.Skipped, Reason = "the build failed" };
        report.Trees.Add(drm);

        var rdma = new TreeReport { Name = "rdma", Url = "git://git.kernel.org/pub/scm/linux/kernel/git/rdma/rdma.git", Branch = "for-next", Head = RdmaCommit.Sha };
        rdma.Merge = new MergeReport
        {
            Status = MergeStatus.Conflict,
            Conflicts = [new ConflictReport
            {
                Path = "drivers/infiniband/core/umem_odp.c", Kind = "content", Message = "CONFLICT (content): Merge conflict in drivers/infiniband/core/umem_odp.c",
                Excerpt = "@@ line 40 @@\n<<<<<<< rdma\n\torder = hmm_pfn_to_map_order(pfn);\n=======\n\tshift = hmm_pfn_to_map_shift(pfn);\n>>>>>>> hmm",
                TopicCommits = [TopicCommit], TreeCommits = [RdmaCommit],
            }],
        };
        rdma.Builds.Add(new BuildRecord { Kind = BuildKind.Merged, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Pass, Commit = new string('f', 40), DurationMs = 70_000 });
        rdma.Build = new BuildReport { Status = StageStatus.Pass };
        rdma.Selftests = new SelftestsReport
        {
            Status = StageStatus.Fail, Accelerator = "kvm",
            Tests =
            [
                new SelftestResult("hmm.hmm_device_private.migrate", TestStatus.Fail, TestStatus.Pass) { Diagnostics = ["# hmm-tests.c:1065:migrate:Expected ret (-16) == 0 (0)"] },
                new SelftestResult("hmm.hmm_device_private.anon_read", TestStatus.Pass, TestStatus.Pass),
                new SelftestResult("hmm.hmm_device_coherent.exclusive", TestStatus.Fail, TestStatus.Pass) { Flaky = true },
                new SelftestResult("hmm.hmm.open_close", TestStatus.Missing, TestStatus.Pass),
            ],
            Runs = [new SelftestRun { Kind = "merged", Status = StageStatus.Fail, Console = "logs/rdma-merged.console", KernelProblems = [new KernelProblem("WARNING", "hmm.hmm_device_private.migrate", ["WARNING: CPU: 1 PID: 245 at mm/hmm.c:612 hmm_vma_fault+0x1c/0x40"])] }],
            Culprit = new Culprit(TopicCommit, null, "rdma", "Caused by commit 0123456789ab (\"mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()\")."),
            Bisect = [new BisectStep(TopicCommit, "bad", 90_000)],
        };
        rdma.Duplicates.Add(new DuplicateCommit(TopicCommit.Sha, RdmaCommit.Sha, TopicCommit.Subject));
        report.Trees.Add(rdma);

        report.MergeWindow = new MergeWindowReport
        {
            Status = MergeStatus.Conflict,
            Steps = [new MergeWindowStep("mainline", new string('b', 40), MergeStatus.Clean, null), new MergeWindowStep("hmm", TopicCommit.Sha, MergeStatus.Clean, null),
                new MergeWindowStep("drm", DrmCommit.Sha, MergeStatus.Clean, null), new MergeWindowStep("rdma", RdmaCommit.Sha, MergeStatus.Conflict, "conflicts with the merge window so far; left out")],
            Conflicts = [new MergeWindowConflict
            {
                Path = "include/linux/hmm.h", Kind = "content", Trees = [MergeWindowSimulation.SoFar, "rdma"], Excerpt = "<<<<<<< the merge window so far\na\n=======\nb\n>>>>>>> rdma",
                Sides = [new MergeWindowSide(MergeWindowSimulation.SoFar, [DrmCommit]), new MergeWindowSide("rdma", [RdmaCommit])],
            }],
        };
        Readiness.Decide(report);
        return report;
    }
}
