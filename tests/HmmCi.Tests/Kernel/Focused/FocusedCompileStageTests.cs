using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Kernel.Focused;
using HmmCi.Reports.Email;
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

        // A timeout is not the inputs' result: it is never stored, the rerun compiles again.
        var rerun = await _project.RunAsync(_project.Report(_project.T3, ("rdma", head)), _project.Config("{ timeout: 2s }"));
        Assert.False(FocusedProject.Focused(rerun.Trees[0]).Cached);
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

    /// <summary>mm: M1 adds lib/hmm_order.c, a new user of what T3 renames.</summary>
    (string Head, string M1) Mm()
    {
        var head = _project.Downstream("mm",
        [
            ("mm/hmm/test: add dmirror_order_of()", new()
            {
                ["lib/Makefile"] = "obj-y += sort.o\nobj-$(CONFIG_TEST_HMM) += test_hmm.o hmm_order.o\n",
                ["lib/hmm_order.c"] = "#include <linux/hmm.h>\n\nunsigned int dmirror_order_of(unsigned long pfn)\n{\n\treturn hmm_pfn_to_map_order(pfn) * 2;\n}\n",
            }),
        ]);
        return (head, head);
    }

    [Fact]
    public async Task The_merge_window_gets_a_focused_compile_against_itself_without_the_topic_and_each_culprit_names_the_tree_its_commit_comes_from()
    {
        var mainline = _project.Repo.Commit("lib/sort: sort in place", "lib/sort.c", "int sort_one(int x)\n{\n\treturn x + 0;\n}\n");
        var (rdma, r1) = Rdma();
        var (mm, m1) = Mm();
        var drm = _project.Downstream("drm", ("drm: a comment", new() { ["drivers/gpu/README"] = "nouveau\n" }));
        var report = _project.Report(_project.T3);
        _project.Window(report, mainline, ("rdma", rdma), ("drm", drm), ("mm", mm));
        var stage = _project.Stage(_project.Config());
        await stage.RunAsync(report, CancellationToken.None);

        var focused = Assert.Single(report.MergeWindow.Builds);
        Assert.Equal((BuildKind.Focused, StageStatus.Fail, "allmodconfig"), (focused.Kind, focused.Status, focused.Config));
        Assert.Equal(report.MergeWindow.Commit, focused.Commit);
        Assert.Contains(new FocusedFile("lib/hmm_order.c", "mentions hmm_pfn_to_map_order, which the topic removes or renames (include/linux/hmm.h)"), focused.Candidates);
        Assert.Contains(focused.Candidates, c => c.File == "drivers/infiniband/uverbs_main.c");

        // uverbs_main.c's unused variable is rdma's own: the merge window without the topic (mainline, rdma, drm, mm) has it too.
        Assert.Equal([("drivers/infiniband/umem_odp.c", 17), ("lib/hmm_order.c", 5)], focused.Errors.Select(e => (e.File, e.Line)).Order());
        var odp = focused.Errors.Single(e => e.File == "drivers/infiniband/umem_odp.c").Culprit!;
        Assert.Equal((_project.T3, r1, "rdma"), (odp.TopicCommit.Sha, odp.TreeCommit!.Sha, odp.Tree));
        var order = focused.Errors.Single(e => e.File == "lib/hmm_order.c").Culprit!;
        Assert.Equal((_project.T3, m1, "mm"), (order.TopicCommit.Sha, order.TreeCommit!.Sha, order.Tree));
        Assert.EndsWith($"interacting with commit {m1[..12]} (\"mm/hmm/test: add dmirror_order_of()\") from the mm tree.", order.Text);
        Assert.StartsWith("After merging the hmm tree, the merge window build (x86_64 allmodconfig, focused) failed like this:\n\n", focused.LogTail);
        Assert.Contains(odp.Text, focused.LogTail);
        Assert.Contains(order.Text, focused.LogTail);
        Assert.True(File.Exists(_project.Directory.Combine("out", "builds", "_merge-window", "focused-allmodconfig", "compile-baseline.log")));

        // It blocks the topic, and the report says it as a tree's.
        report.Stages.AddRange(Readiness.VerifyingStages.Select(name => new StageReport(name, StageStatus.Pass, 1, null)));
        Readiness.Decide(report);
        Assert.Contains($"merge window focused (allmodconfig, x86_64): {order.Text}", report.Reasons);
        var view = ReportView.Of(report);
        var markdown = ReportTemplates.Render("report.md.sbn", view);
        Assert.Contains("### merge window: x86_64 allmodconfig, focused build failed\nAfter merging the hmm tree, the merge window build (x86_64 allmodconfig, focused) failed like this:", markdown);
        Assert.Contains(odp.Text, markdown);
        Assert.Contains(order.Text, markdown);
        // The mail wraps its prose.
        var mail = System.Text.RegularExpressions.Regex.Replace(ReportEmail.Message(view, EmailConfig.Default, report.GeneratedAt).TextBody ?? "", @"\s+", " ");
        Assert.Contains("After merging the hmm tree, the merge window build (x86_64 allmodconfig, focused) failed like this:", mail);
        Assert.Contains(order.Text, mail);
    }

    [Fact]
    public async Task The_merge_window_focused_compile_is_skipped_with_the_reason_when_the_window_without_the_topic_conflicts()
    {
        var rdma = _project.Downstream("rdma", ("RDMA: sort", new() { ["lib/sort.c"] = "int sort_one(int x)\n{\n\treturn x + 1;\n}\n" }));
        var drm = _project.Downstream("drm", ("drm: sort", new() { ["lib/sort.c"] = "int sort_one(int x)\n{\n\treturn x + 2;\n}\n" }));
        var report = _project.Report(_project.T3);
        // drm's conflict with rdma was resolved in the merge window by a recorded resolution; without the topic there is none.
        report.MergeWindow = new MergeWindowReport
        {
            Status = MergeStatus.Resolved, Commit = _project.Merge(rdma, _project.T3),
            Steps = [new("mainline", _project.Base, MergeStatus.Clean, null), new("hmm", _project.T3, MergeStatus.Clean, null),
                new("rdma", rdma, MergeStatus.Clean, null), new("drm", drm, MergeStatus.Resolved, "resolved with the recorded resolution")],
        };
        var runner = new FocusedProject.RecordingRunner();
        await _project.Stage(_project.Config(), runner).RunAsync(report, CancellationToken.None);

        var focused = Assert.Single(report.MergeWindow.Builds);
        Assert.Equal(StageStatus.Skipped, focused.Status);
        Assert.Equal("without the hmm tree, merging the drm tree into the merge window conflicts, so there is no baseline to compare with", focused.Reason);
        Assert.Equal(0, runner.Scripts);
    }

    [Fact]
    public async Task A_rerun_where_nothing_moved_takes_the_focused_result_from_the_cache_without_compiling_and_a_changed_input_compiles_again()
    {
        var (head, _) = Rdma();
        var first = await _project.RunAsync(_project.Report(_project.T3, ("rdma", head)));
        var compiled = FocusedProject.Focused(first.Trees[0]);
        Assert.False(compiled.Cached);

        // A new test-merge commit (this run's date) of the same trees: the same inputs.
        var again = _project.Report(_project.T3, ("rdma", head));
        Assert.NotEqual(first.Trees[0].Merge.Commit, again.Trees[0].Merge.Commit);
        var runner = new FocusedProject.RecordingRunner();
        await _project.Stage(_project.Config(), runner).RunAsync(again, CancellationToken.None);
        var cached = FocusedProject.Focused(again.Trees[0]);
        Assert.True(cached.Cached);
        Assert.Equal(0, runner.Scripts);
        Assert.Equal(again.Trees[0].Merge.Commit, cached.Commit);
        Assert.Equal(compiled.Errors.Select(e => (e.File, e.Line, e.Message, e.Culprit)), cached.Errors.Select(e => (e.File, e.Line, e.Message, e.Culprit)));
        Assert.Equal(compiled.LogTail, cached.LogTail);
        Assert.Equal(compiled.Candidates, cached.Candidates);
        Assert.Equal(StageStatus.Fail, again.Trees[0].Build.Status);
        Assert.True(File.Exists(Path.Combine(_project.Directory.Combine("out"), cached.Log!)));

        // kernel.focused.blameWarnings changes what is blamed: compiled again.
        var blamed = _project.Report(_project.T3, ("rdma", head));
        var counted = new FocusedProject.RecordingRunner();
        await _project.Stage(_project.Config("{ blameWarnings: true }"), counted).RunAsync(blamed, CancellationToken.None);
        Assert.False(FocusedProject.Focused(blamed.Trees[0]).Cached);
        Assert.True(counted.Scripts > 0);
    }

    [Fact]
    public async Task A_focused_hit_is_judged_again_from_the_stored_compiles_as_a_fresh_compile_is()
    {
        var (head, _) = Rdma();
        var first = FocusedProject.Focused((await _project.RunAsync(_project.Report(_project.T3, ("rdma", head)))).Trees[0]);
        Assert.Equal("implicit declaration of function 'hmm_pfn_to_map_order'; did you mean 'hmm_pfn_to_map_shift'?", Assert.Single(first.Errors).Message);
        // What another reading of the same compiles would see: every stored log says another error.
        foreach (var log in Directory.GetFiles(Path.Combine(_project.Directory.Combine("workspace"), "kernel", "cache"), "*.log", SearchOption.AllDirectories))
            File.WriteAllText(log, File.ReadAllText(log).Replace("function 'hmm_pfn_to_map_order'", "function 'hmm_pfn_order'"));

        var report = _project.Report(_project.T3, ("rdma", head));
        var runner = new FocusedProject.RecordingRunner();
        await _project.Stage(_project.Config(), runner).RunAsync(report, CancellationToken.None);

        var cached = FocusedProject.Focused(report.Trees[0]);
        Assert.True(cached.Cached);
        Assert.Equal(0, runner.Scripts);
        var error = Assert.Single(cached.Errors);
        Assert.Equal("implicit declaration of function 'hmm_pfn_order'; did you mean 'hmm_pfn_to_map_shift'?", error.Message);
        Assert.Equal(first.Errors[0].Culprit, error.Culprit);
        Assert.Contains("function 'hmm_pfn_order'", cached.Reason);
        Assert.Contains("function 'hmm_pfn_order'", cached.LogTail);
        Assert.Contains(report.Trees[0].Build.Errors, e => e.Message.StartsWith("implicit declaration of function 'hmm_pfn_order'"));
    }

    [Fact]
    public async Task A_focused_hit_whose_reading_asks_for_a_compile_it_does_not_hold_compiles_again()
    {
        var head = _project.Downstream("drm", ("drm: a comment", new() { ["drivers/gpu/README"] = "nouveau\n" }));
        Assert.Equal(StageStatus.Pass, FocusedProject.Focused((await _project.RunAsync(_project.Report(_project.T3, ("drm", head)))).Trees[0]).Status);
        // Read again, the merged tree's compile shows a warning: only the baseline's compile, which the clean compile never ran, tells whether it is new.
        var merged = Directory.GetFiles(Path.Combine(_project.Directory.Combine("workspace"), "kernel", "cache"), "compile-merged.log", SearchOption.AllDirectories).Single();
        File.AppendAllText(merged, "lib/test_hmm.c:5:9: warning: unused variable 'x' [-Wunused-variable]\n");

        var report = _project.Report(_project.T3, ("drm", head));
        var runner = new FocusedProject.RecordingRunner();
        await _project.Stage(_project.Config(), runner).RunAsync(report, CancellationToken.None);

        var focused = FocusedProject.Focused(report.Trees[0]);
        Assert.False(focused.Cached);
        Assert.True(runner.Scripts > 0);
        Assert.Equal(StageStatus.Pass, focused.Status);
        Assert.Empty(focused.NewWarnings);
        Assert.Contains(_project.Lines, l => l.Contains("asks for prepare-baseline", StringComparison.Ordinal));
        // The compile that replaced it is stored.
        var third = _project.Report(_project.T3, ("drm", head));
        await _project.RunAsync(third);
        Assert.True(FocusedProject.Focused(third.Trees[0]).Cached);
    }

    [Fact]
    public void The_result_cache_key_changes_with_every_input()
    {
        var inputs = new FocusedInputs("rdma", "tree", "baseline", "base", "head", [new TreeHead("rdma", "r")], "allmodconfig", "image", "make -C /src\n", 4000, false);
        var key = inputs.Key();
        Assert.Equal(key, (inputs with { }).Key());
        Assert.All(new[]
        {
            inputs with { Target = "drm" }, inputs with { MergedTree = "tree2" }, inputs with { Baseline = "baseline2" }, inputs with { TopicBase = "base2" },
            inputs with { TopicHead = "head2" }, inputs with { Trees = [new TreeHead("rdma", "r2")] }, inputs with { Trees = [new TreeHead("rdma", "r"), new TreeHead("mm", "m")] },
            inputs with { Config = "defconfig" }, inputs with { Image = "image2" }, inputs with { Recipe = "make -C /src V=1\n" },
            inputs with { MaxFiles = 10 }, inputs with { BlameWarnings = true },
        }, changed => Assert.NotEqual(key, changed.Key()));
    }

    public void Dispose() => _project.Dispose();
}
