using HmmCi.Kernel;
using HmmCi.Reports;

namespace HmmCi.Tests.Kernel;

/// <summary>Which trees the Build stage and the focused compile build, read from hand-built reports.</summary>
public class BuildPlanTests
{
    const string Base = "1111111111111111111111111111111111111111";
    const string TopicHead = "2222222222222222222222222222222222222222";
    const string Mainline = "3333333333333333333333333333333333333333";
    const string Window = "4444444444444444444444444444444444444444";

    static TreeReport Tree(string name, string? head, MergeReport merge, string? error = null) =>
        new() { Name = name, Url = "-", Branch = "for-next", Head = head, Merge = merge, Error = error };

    /// <summary>A clean, a resolved, a conflicting and an unfetched downstream tree.</summary>
    static MergeReadinessReport Report(MergeWindowReport window)
    {
        var report = new MergeReadinessReport
        {
            Topic = new TopicReport { Name = "hmm", Url = "-", Branch = "hmm", Base = Base, Head = TopicHead },
            Mainline = new MainlineReport { Url = "-", Branch = "master", Head = Mainline },
            MergeWindow = window,
        };
        report.Trees.Add(Tree("rdma", "a0", new MergeReport { Status = MergeStatus.Clean, Commit = "a1" }));
        report.Trees.Add(Tree("drm", "b0", new MergeReport { Status = MergeStatus.Resolved, Commit = "b1", Resolution = "resolutions/drm" }));
        report.Trees.Add(Tree("nouveau", "c0", new MergeReport
        {
            Status = MergeStatus.Conflict, Conflicts = [new ConflictReport { Path = "lib/hmm.c", Kind = "content" }, new ConflictReport { Path = "mm/hmm.c", Kind = "content" }],
        }));
        report.Trees.Add(Tree("amdgpu", null, new MergeReport { Status = MergeStatus.Skipped, Reason = "the tree could not be fetched" }, error: "fatal: repository not found"));
        return report;
    }

    [Fact]
    public void Clean_and_resolved_merges_are_built_from_their_head_and_merge_commit_the_others_are_skipped_with_why()
    {
        var plan = BuildPlan.Of(Report(new MergeWindowReport { Status = MergeStatus.Clean, Commit = Window }));

        Assert.Equal([new BuildPlan.Downstream("rdma", "a0", "a1"), new BuildPlan.Downstream("drm", "b0", "b1")], plan.Trees);
        Assert.Equal([
            new BuildPlan.Skip("nouveau", "the test merge is conflict (conflict in lib/hmm.c, mm/hmm.c): nothing to build"),
            new BuildPlan.Skip("amdgpu", "the tree could not be fetched"),
        ], plan.Skipped);
        Assert.Equal(new BuildPlan.TopicRange("hmm", Base, TopicHead), plan.Topic);
        Assert.Equal(Window, plan.MergeWindow);
        Assert.Equal(Mainline, plan.Mainline);
    }

    [Fact]
    public void A_report_without_a_merge_window_commit_plans_no_merge_window_and_the_same_trees()
    {
        var plan = BuildPlan.Of(Report(new MergeWindowReport { Status = MergeStatus.Conflict }));

        Assert.Null(plan.MergeWindow);
        Assert.Equal(["rdma", "drm"], plan.Trees.Select(t => t.Name));
        Assert.Equal(["nouveau", "amdgpu"], plan.Skipped.Select(t => t.Name));
    }

    [Fact]
    public void A_failed_merge_says_its_reason_and_a_merge_without_a_commit_is_skipped()
    {
        var report = Report(new MergeWindowReport { Status = MergeStatus.Clean, Commit = Window });
        report.Trees.Clear();
        report.Trees.Add(Tree("rdma", "a0", new MergeReport { Status = MergeStatus.Error, Reason = "the test merge failed: disk full" }));
        report.Trees.Add(Tree("drm", "b0", new MergeReport { Status = MergeStatus.Clean }));
        report.Topic.Base = null;

        var plan = BuildPlan.Of(report);

        Assert.Empty(plan.Trees);
        Assert.Equal([
            new BuildPlan.Skip("rdma", "the test merge is error (the test merge failed: disk full): nothing to build"),
            new BuildPlan.Skip("drm", "this run's report has no merge commit for the tree"),
        ], plan.Skipped);
        Assert.Null(plan.Topic);
    }
}
