using HmmCi.Config;
using HmmCi.Kernel;
using HmmCi.Kernel.Focused;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Kernel.Focused;

/// <summary>
/// A small generated C project laid out like a kernel tree, in a real git repository: Kbuild and per-directory
/// Makefiles with obj-$(CONFIG_...) lines, configs/allmodconfig, include/linux/hmm.h, users in lib/, drivers/,
/// arch/arm64/ and tools/. Its top Makefile answers like Kbuild (allmodconfig, prepare, single object targets with
/// O=) and compiles with the real gcc, with -Werror when the config has CONFIG_WERROR. An hmm topic of three commits
/// renames hmm_pfn_to_map_order() (T3, converting every user); downstream trees branch from the base.
/// </summary>
public sealed class FocusedProject : IDisposable
{
    public const string Makefile = """
        # Kbuild-like: make -C <tree> O=<out> allmodconfig | prepare modules_prepare | dir/x.o ...
        O ?= .
        CC ?= gcc
        WERROR := $(if $(filter CONFIG_WERROR=y,$(shell cat $(O)/.config 2>/dev/null)),-Werror)
        .PHONY: allmodconfig prepare modules_prepare
        allmodconfig:
        	@mkdir -p $(O)
        	@cp configs/allmodconfig $(O)/.config
        	@echo "# configuration written to .config"
        prepare modules_prepare:
        	@if [ -e fake/fail-prepare ]; then cat fake/fail-prepare >&2; exit 2; fi
        	@mkdir -p $(O)/include/generated
        	@sed -n 's/^CONFIG_\([A-Za-z0-9_]*\)=[ym]$$/#define CONFIG_\1 1/p' $(O)/.config > $(O)/include/generated/autoconf.h
        %.o: %.c
        	@mkdir -p $(O)/$(dir $@)
        	@echo "  CC [M]  $@"
        	@$(CC) -Wall $(WERROR) -Iinclude -include $(O)/include/generated/autoconf.h -c -o $(O)/$@ $<

        """;

    public const string HmmHeader = """
        #ifndef _LINUX_HMM_H
        #define _LINUX_HMM_H
        /* HMM: heterogeneous memory management */
        #define HMM_PFN_VALID 1UL
        struct hmm_range {
        	unsigned long start;
        	unsigned long end;
        };
        int hmm_range_fault(struct hmm_range *range);
        static inline unsigned int hmm_pfn_to_map_order(unsigned long hmm_pfn)
        {
        	return hmm_pfn >> 3;
        }
        #endif

        """;

    public static string User(string function) => $$"""
        #include <linux/hmm.h>

        unsigned int {{function}}(unsigned long pfn)
        {
        	return hmm_pfn_to_map_order(pfn);
        }

        """;

    public const string UmemOdp = """
        #include <linux/hmm.h>

        /**
         * ib_umem_odp_map - map one pfn
         */
        unsigned int ib_umem_odp_map(unsigned long pfn)
        {
        	return hmm_pfn_to_map_order(pfn);
        }

        int ib_umem_odp_count(int n)
        {
        	return n + 1;
        }

        """;

    public FocusedProject()
    {
        Repo = new GitRepository(Directory.Combine("repo"));
        Base = Repo.Commit("Linux 6.1", new Dictionary<string, string?>
        {
            ["Makefile"] = Makefile,
            ["Kbuild"] = "obj-y += mm/\nobj-y += lib/\nobj-y += drivers/\nobj-y += arch/$(SRCARCH)/\nobj-$(CONFIG_SAMPLES) += samples/\n",
            ["configs/allmodconfig"] = "CONFIG_64BIT=y\nCONFIG_WERROR=y\nCONFIG_TEST_HMM=m\nCONFIG_INFINIBAND=m\nCONFIG_INFINIBAND_USER_ACCESS=m\n"
                + "CONFIG_INFINIBAND_ON_DEMAND_PAGING=y\n# CONFIG_DRM_NOUVEAU_SVM is not set\n",
            ["include/linux/hmm.h"] = HmmHeader,
            ["mm/Makefile"] = "obj-y += hmm.o\n",
            ["mm/hmm.c"] = "#include <linux/hmm.h>\n#define EXPORT_SYMBOL(x)\n\nint hmm_range_fault(struct hmm_range *range)\n{\n\treturn range->start == range->end;\n}\nEXPORT_SYMBOL(hmm_range_fault);\n",
            ["lib/Makefile"] = "obj-y += sort.o\nobj-$(CONFIG_TEST_HMM) += test_hmm.o\n",
            ["lib/sort.c"] = "int sort_one(int x)\n{\n\treturn x;\n}\n",
            ["lib/test_hmm.c"] = User("dmirror_order"),
            ["drivers/Makefile"] = "obj-$(CONFIG_INFINIBAND) += infiniband/\nobj-y += gpu/\n",
            ["drivers/infiniband/Makefile"] = "obj-$(CONFIG_INFINIBAND_USER_ACCESS) += ib_uverbs.o\n\nib_uverbs-y := uverbs_main.o \\\n\t\tuverbs_cmd.o\n"
                + "ib_uverbs-$(CONFIG_INFINIBAND_ON_DEMAND_PAGING) += umem_odp.o\n",
            ["drivers/infiniband/umem_odp.c"] = UmemOdp,
            ["drivers/infiniband/uverbs_main.c"] = "#include <linux/hmm.h>\n\nint uverbs_main(void)\n{\n\treturn 0;\n}\n",
            ["drivers/infiniband/uverbs_cmd.c"] = "int uverbs_cmd(void)\n{\n\treturn 0;\n}\n",
            ["drivers/gpu/Makefile"] = "obj-$(CONFIG_DRM_NOUVEAU_SVM) += nouveau_svm.o\n",
            ["drivers/gpu/nouveau_svm.c"] = User("nouveau_order"),
            ["arch/x86/Makefile"] = "obj-y += mm/\n",
            ["arch/x86/mm/Makefile"] = "obj-y += pat.o\n",
            ["arch/x86/mm/pat.c"] = "int pat_x86(void)\n{\n\treturn 0;\n}\n",
            ["arch/arm64/mm/hmm_arm.c"] = User("arm_order"),
            ["tools/testing/hmm_tool.c"] = User("tool_order"),
        });
        Repo.Git("tag", "v6.1");
        Repo.Checkout("hmm", create: true);
        T1 = Repo.Commit("mm/hmm: document HMM_PFN_VALID", "include/linux/hmm.h", HmmHeader.Replace("/* HMM: heterogeneous memory management */", "/* HMM: heterogeneous memory management; HMM_PFN_VALID marks a valid pfn */"));
        T2 = Repo.Commit("RDMA/umem: fix the kernel-doc of ib_umem_odp_map()", "drivers/infiniband/umem_odp.c", UmemOdp.Replace("map one pfn", "map one pfn for DMA"));
        T3 = Repo.Commit("mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()", Rename(
            ("include/linux/hmm.h", Repo), ("lib/test_hmm.c", Repo), ("drivers/infiniband/umem_odp.c", Repo), ("drivers/gpu/nouveau_svm.c", Repo),
            ("arch/arm64/mm/hmm_arm.c", Repo), ("tools/testing/hmm_tool.c", Repo)));
        Repo.Checkout("master");
    }

    /// <summary>The files with hmm_pfn_to_map_order() renamed, as they are on the current branch.</summary>
    static Dictionary<string, string?> Rename(params (string File, GitRepository Repo)[] files) =>
        files.ToDictionary(f => f.File, f => (string?)File.ReadAllText(System.IO.Path.Combine(f.Repo.Path, f.File)).Replace("hmm_pfn_to_map_order", "hmm_pfn_to_map_shift"));

    public TempDirectory Directory { get; } = new();
    public GitRepository Repo { get; }
    public string Base { get; }
    public string T1 { get; }
    public string T2 { get; }
    public string T3 { get; }
    public string GitDirectory => System.IO.Path.Combine(Repo.Path, ".git");
    public List<string> Lines { get; } = [];

    /// <summary>A downstream branch from the base with one commit per entry.</summary>
    public string Downstream(string branch, params (string Message, Dictionary<string, string?> Files)[] commits)
    {
        Repo.Checkout(branch, create: true, startPoint: Base);
        foreach (var (message, files) in commits) Repo.Commit(message, files, author: "Rita Rdma <rita@example.com>");
        var head = Repo.Head;
        Repo.Checkout("master");
        return head;
    }

    /// <summary>The test merge of <paramref name="topic"/> into <paramref name="head"/>, as the Merge stage records it (a real merge commit).</summary>
    public string Merge(string head, string topic)
    {
        var tree = Repo.Git("merge-tree", "--write-tree", head, topic).Split('\n')[0].Trim();
        return Repo.Git("commit-tree", tree, "-p", head, "-p", topic, "-m", "hmmci: test merge").Trim();
    }

    public MergeReadinessReport Report(string topicHead, params (string Tree, string Head)[] trees)
    {
        var report = new MergeReadinessReport
        {
            Topic = new TopicReport { Name = "hmm", Url = "-", Branch = "hmm", Base = Base, Head = topicHead },
            Mainline = new MainlineReport { Url = "-", Branch = "master" },
        };
        foreach (var (tree, head) in trees)
            report.Trees.Add(new TreeReport
            {
                Name = tree, Url = "-", Branch = "-", Head = head,
                Merge = new MergeReport { Status = MergeStatus.Clean, Commit = Merge(head, topicHead) },
                Build = new BuildReport { Status = StageStatus.Pass },
            });
        return report;
    }

    /// <summary>
    /// The merge window as the Merge stage records it: mainline, the topic, then each tree merged onto everything
    /// before it, in a real merge commit (dated by this run, as HmmCi's are).
    /// </summary>
    public void Window(MergeReadinessReport report, string mainline, params (string Tree, string Head)[] trees)
    {
        var steps = new List<MergeWindowStep> { new("mainline", mainline, MergeStatus.Clean, "the merge window opens on mainline") };
        var state = mainline;
        foreach (var (tree, head) in trees.Prepend(("hmm", report.Topic.Head!)))
        {
            var merged = Repo.Git("merge-tree", "--write-tree", state, head).Split('\n')[0].Trim();
            state = Repo.Git("commit-tree", merged, "-p", state, "-p", head, "-m", $"Merge {tree} (merge-window simulation)").Trim();
            steps.Add(new(tree, head, MergeStatus.Clean, null));
        }
        report.Mainline.Head = mainline;
        report.MergeWindow = new MergeWindowReport { Status = MergeStatus.Clean, Steps = steps, Commit = state, Tree = Repo.Git("rev-parse", $"{state}^{{tree}}").Trim() };
    }

    public HmmCiConfig Config(string focused = "{}") => ConfigLoader.Parse($$"""
        topic:    { name: hmm, url: {{Repo.Path}}, branch: hmm }
        mainline: { url: {{Repo.Path}}, branch: master }
        trees:
          - { name: rdma, url: {{Repo.Path}}, branch: rdma }
          - { name: drm, url: {{Repo.Path}}, branch: drm }
        kernel: { runtime: host, focused: {{focused}} }
        """, Directory.WriteFile("hmmci.yml", ""));

    /// <summary>The processes the stage ran; the host runtime's compiles are its sh scripts.</summary>
    public sealed class RecordingRunner : IProcessRunner
    {
        public List<ProcessSpec> Specs { get; } = [];
        public int Scripts => Specs.Count(s => s.FileName == "sh");

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellation = default)
        {
            lock (Specs) Specs.Add(spec);
            return ProcessRunner.Default.RunAsync(spec, cancellation);
        }
    }

    public FocusedCompileStage Stage(HmmCiConfig config, IProcessRunner? runner = null) =>
        new(new FocusedCompileStage.Settings(config, GitDirectory, Directory.Combine("workspace"), Directory.Combine("out"), RunIdentity.New(),
            new HostRuntime(runner ?? ProcessRunner.Default)), runner ?? ProcessRunner.Default, line => { lock (Lines) Lines.Add(line); });

    public async Task<MergeReadinessReport> RunAsync(MergeReadinessReport report, HmmCiConfig? config = null)
    {
        await Stage(config ?? Config()).RunAsync(report, CancellationToken.None);
        return report;
    }

    public static BuildRecord Focused(TreeReport tree) => tree.Builds.Single(b => b.Kind == BuildKind.Focused);

    public void Dispose() => Directory.Dispose();
}
