using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Selftests;
using HmmCi.Trees;

namespace HmmCi.Tests.Selftests;

/// <summary>What the Selftests tests share: the sample's topic, builds laid out as the Build stage leaves them, machines.</summary>
public static class SelftestFixtures
{
    /// <summary>The sample's six topic commits (samples/README.md), oldest first; T5 (index 4) breaks the mirror reads.</summary>
    public static readonly IReadOnlyList<CommitRef> Topic =
    [
        new("1111111111111111111111111111111111111111", "mm/hmm: document HMM_PFN_ORDER_SHIFT in the pfn flags comment"),
        new("2222222222222222222222222222222222222222", "RDMA/umem: fix the kernel-doc of ib_umem_odp_map_dma_single_page()"),
        new("3333333333333333333333333333333333333333", "mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()"),
        new("4444444444444444444444444444444444444444", "mm/hmm: add hmm_range_timeout() and use it in amdgpu"),
        new("5555555555555555555555555555555555555555", "lib/test_hmm: use PFN helpers in the bounce buffer copy loops"),
        new("6666666666666666666666666666666666666666", "mm/hmm: fix the comment above hmm_pfn_to_map_shift()"),
    ];

    /// <summary>A report with the sample's topic and one downstream tree, rdma.</summary>
    public static (MergeReadinessReport Report, TreeReport Tree) Report()
    {
        var report = new MergeReadinessReport
        {
            Topic = new TopicReport { Name = "hmm", Url = "hmm.git", Branch = "hmm" },
            Mainline = new MainlineReport { Url = "mainline.git", Branch = "master" },
        };
        report.Topic.Commits.AddRange(Topic);
        var tree = new TreeReport { Name = "rdma", Url = "rdma.git", Branch = "for-next" };
        report.Trees.Add(tree);
        return (report, tree);
    }

    /// <summary>A passing build under OUTPUT/builds/NAME with these files (kernel image, hmm-tests, anything else).</summary>
    public static BuildRecord Build(string output, BuildKind kind, string name, Action<string> writeFiles, bool hmmTests = true)
    {
        var folder = Path.Combine(output, "builds", name);
        Directory.CreateDirectory(folder);
        writeFiles(folder);
        return new BuildRecord
        {
            Kind = kind,
            Config = "tinyconfig+hmm-selftests",
            Status = StageStatus.Pass,
            Artifacts = new BuildArtifacts
            {
                Kernel = $"builds/{name}/bzImage",
                Selftests = new SelftestArtifacts
                {
                    HmmTests = hmmTests ? $"builds/{name}/hmm-tests" : null,
                    HarnessFixes = ["kselftest-harness-trigger"],
                },
            },
        };
    }

    /// <summary>The bisect's builds, served from a function of the commit; records what was asked for.</summary>
    public sealed class ServedBuilds(Func<CommitRef, BuildRecord> serve) : IBisectBuilder
    {
        public List<string> Built { get; } = [];

        public Task<BuildRecord> BuildAsync(string tree, CommitRef topicCommit, CancellationToken cancellation)
        {
            lock (Built) Built.Add($"{tree} {topicCommit.Sha[..12]}");
            return Task.FromResult(serve(topicCommit));
        }
    }

    /// <summary>A command whose console is read like QEMU's: nothing counts before the initramfs's start marker.</summary>
    public sealed class Booting(string command) : ISelftestMachine
    {
        readonly CommandMachine _command = new(ProcessRunner.Default, command);
        public string Accelerator => "tcg";
        public bool PrintsMarkers => true;
        public Task PrepareAsync(SelftestBoot boot, CancellationToken cancellation) => Task.CompletedTask;
        public Task<ProcessResult> RunAsync(SelftestBoot boot, Action<string> onLine, TimeSpan timeout, CancellationToken stop) =>
            _command.RunAsync(boot, onLine, timeout, stop);
    }
}
