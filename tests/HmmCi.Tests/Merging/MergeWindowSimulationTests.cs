using HmmCi.Merging;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Tests.Merging;

public class MergeWindowSimulationTests : IDisposable
{
    private readonly MergeRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static Dictionary<string, string?> Files(params (string Path, string? Content)[] files) => files.ToDictionary(f => f.Path, f => f.Content);

    private MergeWindowSimulation Simulation => new(_repo.MergeTree, _repo.Objects, _repo.Describer, _repo.Resolutions);

    [Fact]
    public async Task Conflicts_that_appear_only_when_trees_meet_are_attributed_to_the_pair_and_the_conflicting_tree_is_left_out()
    {
        var b = _repo.Base(Files(("mm/hmm.c", "hmm\n"), ("drivers/shared.c", "1\n2\n3\n"), ("kernel/fork.c", "fork\n"), ("drivers/drm.c", "drm\n")));
        var mainline = _repo.Repo.Commit("kernel: mainline moves on", Files(("kernel/fork.c", "fork mainline\n")));
        var topic = _repo.OnBranch("hmm", b, "mm/hmm: topic", Files(("mm/hmm.c", "hmm topic\n")));
        var rdma = _repo.OnBranch("rdma", b, "RDMA: shared line", Files(("drivers/shared.c", "1\nrdma\n3\n")), "Rdma Dev <rdma@example.org>");
        var drm = _repo.OnBranch("drm", b, "drm: shared line", Files(("drivers/shared.c", "1\ndrm\n3\n"), ("drivers/drm.c", "drm change\n")));
        var mm = _repo.OnBranch("mm", b, "mm: fork and drm", Files(("kernel/fork.c", "fork mm\n"), ("drivers/drm.c", "mm change\n")));

        var window = await Simulation.RunAsync(new MergeSide("mainline", mainline), new MergeSide("hmm", topic),
            [new MergeSide("rdma", rdma), new MergeSide("drm", drm), new MergeSide("mm", mm)]);

        Assert.Equal(MergeStatus.Conflict, window.Status);
        Assert.Equal(["mainline", "hmm", "rdma", "drm", "mm"], window.Steps.Select(s => s.Tree));
        Assert.Equal([MergeStatus.Clean, MergeStatus.Clean, MergeStatus.Clean, MergeStatus.Conflict, MergeStatus.Conflict], window.Steps.Select(s => s.Status));
        Assert.Equal("conflicts with rdma; left out of the rest of the merge window", window.Steps[3].Note);

        // mm's drivers/drm.c change would only clash with drm, which is not in: only its clash with mainline counts.
        Assert.Equal([("drivers/shared.c", "rdma", "drm"), ("kernel/fork.c", "mainline", "mm")],
            window.Conflicts.Select(c => (c.Path, c.Trees[0], c.Trees[1])));
        var shared = window.Conflicts[0];
        Assert.Equal("content", shared.Kind);
        Assert.Contains("<<<<<<< rdma\nrdma\n=======\ndrm\n>>>>>>> drm", shared.Excerpt);
        Assert.Equal([new MergeWindowSide("rdma", [new CommitRef(rdma, "RDMA: shared line")]), new MergeWindowSide("drm", [new CommitRef(drm, "drm: shared line")])],
            shared.Sides.Select(s => s with { Commits = s.Commits.ToList() }).ToList(), new SidesComparer());

        Assert.Equal(window.Commit, _repo.Rev(MergeWindowSimulation.Ref));
        Assert.Equal(_repo.Oracle(_repo.Rev($"{window.Commit}^1"), rdma).Tree, window.Tree);
        Assert.Equal("left out of the merge window: drm, mm", window.Reason);
    }

    [Fact]
    public async Task A_directory_file_conflict_is_attributed_to_the_pair_that_causes_it()
    {
        var b = _repo.Base(Files(("mm/hmm.c", "hmm\n")));
        var mainline = _repo.Repo.Commit("kernel: mainline moves on", Files(("kernel/fork.c", "fork mainline\n")));
        var topic = _repo.OnBranch("hmm", b, "hmm: dirfile", Files(("dirfile", "a file\n")));
        var rdma = _repo.OnBranch("rdma", b, "rdma: dirfile/inner.c", Files(("dirfile/inner.c", "inner\n")));

        var window = await Simulation.RunAsync(new MergeSide("mainline", mainline), new MergeSide("hmm", topic), [new MergeSide("rdma", rdma)]);

        var conflict = Assert.Single(window.Conflicts);
        Assert.Equal(("dirfile~hmm", "directory/file", "hmm", "rdma"), (conflict.Path, conflict.Kind, conflict.Trees[0], conflict.Trees[1]));
        Assert.Equal([["hmm: dirfile"], ["rdma: dirfile/inner.c"]], conflict.Sides.Select(s => s.Commits.Select(c => c.Subject).ToArray()).ToArray());
    }

    [Fact]
    public async Task A_file_added_in_a_directory_an_earlier_tree_moved_away_is_attributed_to_that_tree_and_not_to_others_already_in()
    {
        var b = _repo.Base(Files(("drivers/old/a.c", "a\n"), ("drivers/old/b.c", "b\n"), ("mm/hmm.c", "hmm\n")));
        var topic = _repo.OnBranch("hmm", b, "mm/hmm: topic", Files(("mm/hmm.c", "hmm topic\n")));
        _repo.Repo.Checkout("rdma", create: true, b);
        _repo.Repo.Git("mv", "drivers/old", "drivers/new");
        var rdma = _repo.Repo.Commit("drivers: move old to new", Files());
        // mm changed nothing the conflict is about.
        var mm = _repo.OnBranch("mm", b, "mm: elsewhere", Files(("kernel/fork.c", "fork\n")));
        var drm = _repo.OnBranch("drm", b, "drm: add c.c", Files(("drivers/old/c.c", "c\n")));

        var window = await Simulation.RunAsync(new MergeSide("mainline", b), new MergeSide("hmm", topic),
            [new MergeSide("rdma", rdma), new MergeSide("mm", mm), new MergeSide("drm", drm)]);

        // git's directory rename detection suggests moving the new file after the directory: only rdma causes that.
        Assert.Equal([MergeStatus.Clean, MergeStatus.Clean, MergeStatus.Clean, MergeStatus.Clean, MergeStatus.Conflict], window.Steps.Select(s => s.Status));
        var conflict = Assert.Single(window.Conflicts);
        Assert.Equal(("rdma", "drm"), (conflict.Trees[0], conflict.Trees[1]));
        Assert.Contains("drivers/new/c.c", conflict.Message);
    }

    [Fact]
    public async Task A_conflict_that_only_several_trees_together_cause_goes_to_the_merge_window_so_far_with_its_commits()
    {
        var lines = string.Concat(Enumerable.Range(1, 9).Select(i => $"{i}\n"));
        var b = _repo.Base(Files(("drivers/f.c", lines), ("mm/hmm.c", "hmm\n")));
        var topic = _repo.OnBranch("hmm", b, "mm/hmm: topic", Files(("mm/hmm.c", "hmm topic\n")));
        _repo.Repo.Checkout("rdma", create: true, b);
        _repo.Repo.Git("mv", "drivers/f.c", "drivers/g.c");
        var rdma = _repo.Repo.Commit("drivers: rename f.c to g.c", Files());
        var drm = _repo.OnBranch("drm", b, "drm: line 5", Files(("drivers/f.c", lines.Replace("5\n", "drm\n"))));
        var mm = _repo.OnBranch("mm", b, "mm: line 5", Files(("drivers/f.c", lines.Replace("5\n", "mm\n"))));

        var window = await Simulation.RunAsync(new MergeSide("mainline", b), new MergeSide("hmm", topic),
            [new MergeSide("rdma", rdma), new MergeSide("drm", drm), new MergeSide("mm", mm)]);

        // mm meets drm's line in g.c, where rdma moved it: mm merges cleanly with rdma, and conflicts with drm in f.c, not g.c.
        var conflict = Assert.Single(window.Conflicts);
        Assert.Equal(("drivers/g.c", MergeWindowSimulation.SoFar, "mm"), (conflict.Path, conflict.Trees[0], conflict.Trees[1]));
        Assert.Contains($"<<<<<<< mm\nmm\n=======\ndrm\n>>>>>>> {MergeWindowSimulation.SoFar}", conflict.Excerpt);
        Assert.Equal(["drivers: rename f.c to g.c"], conflict.Sides[0].Commits.Select(c => c.Subject));
    }

    [Fact]
    public async Task The_report_names_each_side_as_a_tree_or_as_the_merge_window_so_far()
    {
        var b = _repo.Base(Files(("mm/hmm.c", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "hmm: change", Files(("mm/hmm.c", "hmm\n")));
        var rdma = _repo.OnBranch("rdma", b, "rdma: change", Files(("mm/hmm.c", "rdma\n")));
        var window = await Simulation.RunAsync(new MergeSide("mainline", b), new MergeSide("hmm", topic), [new MergeSide("rdma", rdma)]);
        var conflict = Assert.Single(window.Conflicts);

        string Markdown(MergeWindowConflict c)
        {
            var report = new MergeReadinessReport
            {
                Topic = new TopicReport { Name = "hmm", Url = "/srv/hmm.git", Branch = "hmm", Head = topic },
                Mainline = new MainlineReport { Url = "/srv/linux.git", Branch = "master", Head = b },
                MergeWindow = new MergeWindowReport { Status = window.Status, Steps = window.Steps, Conflicts = [c] },
            };
            // The report renders Readiness's findings: the conflict is shown as the one it found.
            Readiness.Decide(report);
            return ReportTemplates.Render("report.md.sbn", report);
        }
        MergeWindowConflict With(string first, bool firstCommits, bool secondCommits) => new()
        {
            Path = conflict.Path, Kind = conflict.Kind, Message = conflict.Message, Excerpt = conflict.Excerpt, Trees = [first, "rdma"],
            Sides = [new MergeWindowSide(first, firstCommits ? conflict.Sides[0].Commits : []), new MergeWindowSide("rdma", secondCommits ? conflict.Sides[1].Commits : [])],
        };

        Assert.Contains($"between\ncommit {topic[..12]} (\"hmm: change\") from the hmm tree and\ncommit {rdma[..12]} (\"rdma: change\") from the rdma tree.", Markdown(conflict));
        Assert.Contains($"between\nthe hmm tree and\ncommit {rdma[..12]} (\"rdma: change\") from the rdma tree.", Markdown(With("hmm", false, true)));
        Assert.Contains($"between\ncommit {topic[..12]} (\"hmm: change\") from the hmm tree and\nthe rdma tree.", Markdown(With("hmm", true, false)));
        Assert.Contains($"between\ncommit {topic[..12]} (\"hmm: change\") from the merge window so far and\n", Markdown(With(MergeWindowSimulation.SoFar, true, true)));
        Assert.Contains("between\nthe merge window so far and\n", Markdown(With(MergeWindowSimulation.SoFar, false, true)));
    }

    [Fact]
    public async Task Trees_that_all_merge_give_a_clean_window_with_one_merge_per_pull()
    {
        var b = _repo.Base(Files(("a", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "t", Files(("t", "t\n")));
        var rdma = _repo.OnBranch("rdma", b, "r", Files(("r", "r\n")));

        var window = await Simulation.RunAsync(new MergeSide("mainline", b), new MergeSide("hmm", topic), [new MergeSide("rdma", rdma)]);

        Assert.Equal(MergeStatus.Clean, window.Status);
        Assert.Empty(window.Conflicts);
        Assert.Equal(["Merge rdma (merge-window simulation)", "Merge hmm (merge-window simulation)"],
            _repo.Repo.Git("log", "--merges", "--format=%s", window.Commit!).Trim().Split('\n'));
    }

    private sealed class SidesComparer : IEqualityComparer<MergeWindowSide>
    {
        public bool Equals(MergeWindowSide? x, MergeWindowSide? y) => x!.Tree == y!.Tree && x.Commits.SequenceEqual(y.Commits);
        public int GetHashCode(MergeWindowSide obj) => obj.Tree.GetHashCode();
    }
}
