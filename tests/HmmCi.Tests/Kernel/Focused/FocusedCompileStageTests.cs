using System.Diagnostics;
using HmmCi.Kernel.Focused;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Tests.Kernel.Focused;

public sealed class FocusedCompileStageTests : IDisposable
{
    readonly FocusedProject _project = new();

    /// <summary>rdma: R1 adds a use of what T3 renames, R2 touches a file that includes hmm.h (with a warning it already had), R3 one that does not.</summary>
    (string Head, string R1) Rdma(params (string, Dictionary<string, string?>)[] more)
    {
        var head = _project.Downstream("rdma",
        [
            ("RDMA/umem: add ib_umem_odp_order()", new() { ["drivers/infiniband/umem_odp.c"] = FocusedProject.UmemOdp
                + "unsigned int ib_umem_odp_order(unsigned long pfn)\n{\n\treturn hmm_pfn_to_map_order(pfn) + 1;\n}\n" }),
            ("RDMA/uverbs: count the mains", new() { ["drivers/infiniband/uverbs_main.c"] = "#include <linux/hmm.h>\n\nint uverbs_main(void)\n{\n\tint unused;\n\treturn 1;\n}\n" }),
            ("RDMA/uverbs: one more command", new() { ["drivers/infiniband/uverbs_cmd.c"] = "int uverbs_cmd(void)\n{\n\treturn 1;\n}\n" }),
            .. more,
        ]);
        var r1 = _project.Repo.Git("log", "--format=%H", "--reverse", $"{_project.Base}..{head}").Split('\n')[0];
        return (head, r1);
    }

    [Fact]
    public async Task A_downstream_use_of_what_the_topic_renames_fails_the_merged_tree_and_names_the_topic_commit_and_the_downstream_commit()
    {
        var (head, r1) = Rdma();
        var report = _project.Report(_project.T3, ("rdma", head));
        var stage = _project.Stage(_project.Config());
        await stage.RunAsync(report, CancellationToken.None);

        var tree = report.Trees[0];
        var focused = FocusedProject.Focused(tree);
        Assert.Equal(StageStatus.Fail, focused.Status);
        Assert.Equal("allmodconfig", focused.Config);
        Assert.Equal(
        [
            new FocusedFile("drivers/infiniband/umem_odp.c", "mentions hmm_pfn_to_map_order, which the topic removes or renames (include/linux/hmm.h)"),
            new FocusedFile("arch/arm64/mm/hmm_arm.c", "changed by the topic"),
            new FocusedFile("drivers/gpu/nouveau_svm.c", "changed by the topic"),
            new FocusedFile("lib/test_hmm.c", "changed by the topic"),
            new FocusedFile("tools/testing/hmm_tool.c", "changed by the topic"),
            new FocusedFile("drivers/infiniband/uverbs_main.c", "changed downstream since the merge base and includes include/linux/hmm.h, which the topic changes"),
        ], focused.Candidates);
        Assert.Equal(
        [
            new FocusedFile("arch/arm64/mm/hmm_arm.c", "not compiled: architecture file: arch/arm64 is not built for x86 builds"),
            new FocusedFile("drivers/gpu/nouveau_svm.c", "not compiled: CONFIG_DRM_NOUVEAU_SVM is not set (drivers/gpu/Makefile:1)"),
            new FocusedFile("tools/testing/hmm_tool.c", "not compiled: no Kbuild or Makefile in tools/testing/"),
        ], focused.NotCompiled);

        // uverbs_main.c's unused variable breaks the baseline's allmodconfig (-Werror) too: not new, not counted.
        var error = Assert.Single(focused.Errors);
        Assert.Equal("drivers/infiniband/umem_odp.c", error.File);
        Assert.Equal(17, error.Line);
        // LC_ALL=C: plain quotes, as the mails quote gcc.
        Assert.Equal("implicit declaration of function 'hmm_pfn_to_map_order'; did you mean 'hmm_pfn_to_map_shift'?", error.Message);
        Assert.Equal("-Werror=implicit-function-declaration", error.Flag);
        Assert.Contains("uverbs_main.c", File.ReadAllText(Path.Combine(_project.Directory.Combine("out"), focused.Log!)));

        var culprit = error.Culprit!;
        Assert.Equal(_project.T3, culprit.TopicCommit.Sha);
        Assert.Equal(r1, culprit.TreeCommit!.Sha);
        Assert.Equal("rdma", culprit.Tree);
        Assert.Equal($"Caused by commit {_project.T3[..12]} (\"mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()\") "
            + $"interacting with commit {r1[..12]} (\"RDMA/umem: add ib_umem_odp_order()\") from the rdma tree.", culprit.Text);
        // Three topic commits: T1 and T1+T2 merged into rdma compile, T1+T2+T3 is the merged tree itself.
        Assert.Equal(2, stage.BisectCompiles);

        Assert.StartsWith("After merging the hmm tree, the rdma build (x86_64 allmodconfig, focused) failed like this:\n\n", focused.LogTail);
        Assert.Contains("\ndrivers/infiniband/umem_odp.c: In function 'ib_umem_odp_order':\ndrivers/infiniband/umem_odp.c:17:", focused.LogTail);
        Assert.EndsWith("\n\n" + culprit.Text, focused.LogTail);

        Assert.Equal(StageStatus.Fail, tree.Build.Status);
        Assert.Contains(tree.Build.Errors, e => e.File == "drivers/infiniband/umem_odp.c" && e.Line == 17);
        Assert.NotNull(stage.FirstError);
    }

    [Fact]
    public async Task A_clean_merge_whose_candidates_compile_passes_without_compiling_the_baseline()
    {
        var head = _project.Downstream("drm", ("drm: a comment", new() { ["drivers/gpu/README"] = "nouveau\n" }));
        var report = await _project.RunAsync(_project.Report(_project.T3, ("drm", head)));

        var focused = FocusedProject.Focused(report.Trees[0]);
        Assert.Equal(StageStatus.Pass, focused.Status);
        Assert.Empty(focused.Errors);
        Assert.Equal(["drivers/infiniband/umem_odp.c", "lib/test_hmm.c"], focused.Candidates.Select(c => c.File).Except(focused.NotCompiled.Select(n => n.File)));
        Assert.False(File.Exists(_project.Directory.Combine("out", "builds", "drm", "focused-allmodconfig", "compile-baseline.log")));
        Assert.Equal(StageStatus.Pass, report.Trees[0].Build.Status);
    }

    [Fact]
    public async Task A_topic_of_one_commit_breaking_code_only_it_touches_is_blamed_alone_without_a_bisect()
    {
        _project.Repo.Checkout("hmm-one", create: true, startPoint: _project.Base);
        var topic = _project.Repo.Commit("lib/test_hmm: use hmm_pfn_order()", "lib/test_hmm.c", FocusedProject.User("dmirror_order").Replace("return hmm_pfn_to_map_order(pfn);", "return hmm_pfn_order(pfn);"));
        _project.Repo.Checkout("master");
        var head = _project.Downstream("drm", ("drm: a comment", new() { ["drivers/gpu/README"] = "nouveau\n" }));
        var stage = _project.Stage(_project.Config());
        var report = _project.Report(topic, ("drm", head));
        await stage.RunAsync(report, CancellationToken.None);

        var error = Assert.Single(FocusedProject.Focused(report.Trees[0]).Errors);
        Assert.Equal(("lib/test_hmm.c", 5), (error.File, error.Line));
        Assert.Equal(topic, error.Culprit!.TopicCommit.Sha);
        Assert.Null(error.Culprit.TreeCommit);
        Assert.Equal($"Caused by commit {topic[..12]} (\"lib/test_hmm: use hmm_pfn_order()\").", error.Culprit.Text);
        Assert.Equal(0, stage.BisectCompiles);
    }

    [Fact]
    public async Task A_tree_whose_prepare_fails_under_allmodconfig_is_reported_and_the_next_tree_is_still_compiled()
    {
        var drm = _project.Downstream("drm", ("kbuild: break prepare", new() { ["fake/fail-prepare"] = "scripts/Makefile.build:44: *** objtool: no such tool.  Stop.\n" }));
        var (rdma, _) = Rdma();
        var report = await _project.RunAsync(_project.Report(_project.T3, ("drm", drm), ("rdma", rdma)));

        var broken = FocusedProject.Focused(report.Trees[0]);
        Assert.Equal(StageStatus.Fail, broken.Status);
        Assert.StartsWith("make prepare modules_prepare failed under allmodconfig: ", broken.Reason);
        Assert.EndsWith("scripts/Makefile.build:44: *** objtool: no such tool.  Stop.", broken.Reason);
        Assert.Equal(StageStatus.Fail, report.Trees[0].Build.Status);
        var next = FocusedProject.Focused(report.Trees[1]);
        Assert.Equal("drivers/infiniband/umem_odp.c", Assert.Single(next.Errors).File);
    }

    [Fact]
    public async Task A_hanging_compile_is_stopped_by_the_per_object_timeout_and_listed_while_the_others_compile()
    {
        var fifo = _project.Directory.Combine("hang.h");
        Process.Start("mkfifo", [fifo]).WaitForExit();
        var (head, _) = Rdma(("RDMA/uverbs: read the hang header", new() { ["drivers/infiniband/uverbs_main.c"] = $"#include <linux/hmm.h>\n#include \"{fifo}\"\n\nint uverbs_main(void)\n{{\n\treturn 1;\n}}\n" }));
        var report = await _project.RunAsync(_project.Report(_project.T3, ("rdma", head)), _project.Config("{ timeout: 2s }"));

        var focused = FocusedProject.Focused(report.Trees[0]);
        Assert.Contains(new FocusedFile("drivers/infiniband/uverbs_main.c", "not compiled: its compile timed out after 2s (kernel.focused.timeout)"), focused.NotCompiled);
        Assert.Equal("drivers/infiniband/umem_odp.c", Assert.Single(focused.Errors).File);
    }

    [Fact]
    public async Task Over_max_files_the_priority_holds_and_every_file_left_out_is_listed_with_its_reason()
    {
        var (head, _) = Rdma();
        var commits = new FocusedCommits(_project.Base, _project.T3, head, _project.Merge(head, _project.T3));
        var selection = await Candidates.SelectAsync(new GitCli(_project.GitDirectory), commits, maxFiles: 2, CancellationToken.None);

        Assert.Equal(["drivers/infiniband/umem_odp.c", "arch/arm64/mm/hmm_arm.c"], selection.Files.Select(f => f.File));
        Assert.Equal(
        [
            new FocusedFile("drivers/gpu/nouveau_svm.c", "over kernel.focused.maxFiles (2): changed by the topic"),
            new FocusedFile("lib/test_hmm.c", "over kernel.focused.maxFiles (2): changed by the topic"),
            new FocusedFile("tools/testing/hmm_tool.c", "over kernel.focused.maxFiles (2): changed by the topic"),
            new FocusedFile("drivers/infiniband/uverbs_main.c", "over kernel.focused.maxFiles (2): changed downstream since the merge base and includes include/linux/hmm.h, which the topic changes"),
        ], selection.LeftOut);
    }

    public void Dispose() => _project.Dispose();
}
