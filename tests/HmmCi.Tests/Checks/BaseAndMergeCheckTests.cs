using HmmCi.Tests.Fixtures;
using static HmmCi.Tests.Checks.CheckRun;

namespace HmmCi.Tests.Checks;

public class BaseAndMergeCheckTests
{
    [Fact]
    public void A_topic_on_a_release_tag_that_every_tree_contains_passes_and_the_report_names_the_tag()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: a\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");

        var run = Execute(s, [("rdma", "master")], "checks:\n  scope: [mm/hmm.c]\n");

        Assert.Empty(run.Findings);
        Assert.Equal("v6.1", run.Report.GetProperty("topic").GetProperty("baseTag").GetString());
        Assert.False(run.ChecksBlock);
        Assert.Contains("All checks passed on the topic's 1 commits.", run.Markdown);
        Assert.Contains("(v6.1)", run.Markdown);
    }

    [Fact]
    public void A_topic_on_a_mainline_tag_of_another_form_passes_and_the_report_names_the_tag()
    {
        using var s = new TopicScenario();
        s.Upstream.Checkout("master");
        s.Upstream.Commit("Release 13", "Makefile", "VERSION = 13\n");
        s.Upstream.Git("tag", "-a", "v13", "-m", "Release 13");
        s.Branch("hmm", "v13");
        s.Upstream.Commit($"mm/hmm: a\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge tag 'v13'", "v13");

        var run = Execute(s, [("rdma", "master")], "checks:\n  scope: [mm/hmm.c]\n");

        Assert.Empty(run.Findings);
        Assert.Equal("v13", run.Report.GetProperty("topic").GetProperty("baseTag").GetString());
    }

    [Fact]
    public void A_topic_off_a_tag_that_a_downstream_lacks_says_how_many_mainline_commits_it_drags_in()
    {
        using var s = new TopicScenario();
        s.Branch("rdma-next");
        s.Upstream.Commit($"RDMA: a\n\n{Sob()}\n", "drivers/infiniband/a.c", "int a;\n");
        s.Upstream.Checkout("master");
        s.Upstream.Commit("mm: one", "mm/one.c", "1\n");
        var two = s.Upstream.Commit("mm: two", "mm/two.c", "2\n");
        s.Branch("hmm", "master");
        s.Upstream.Commit($"mm/hmm: a\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");

        var run = Execute(s, [("rdma", "rdma-next")]);

        Assert.Equal([
            $"The hmm topic is based on {Short(two)} (\"mm: two\"), which is not a mainline release or -rc tag (it is 2 commits after v6.1)",
            $"The rdma tree does not contain the hmm topic's base {Short(two)}: merging the topic would drag 2 mainline commits into it",
        ], run.Messages("base"));
    }

    [Fact]
    public void A_downstream_with_no_history_in_common_with_mainline_is_an_error_saying_so()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: a\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        // A tree started from scratch (or a wrong branch of another project): no commit of mainline at all.
        s.Upstream.Git("checkout", "-q", "--orphan", "unrelated");
        s.Upstream.Git("rm", "-rq", "--cached", ".");
        s.Upstream.Commit($"RDMA: a fresh start\n\n{Sob()}\n", new Dictionary<string, string?> { ["drivers/infiniband/a.c"] = "int a;\n" });

        var run = Execute(s, [("rdma", "master"), ("unrelated", "unrelated")]);

        Assert.Equal([
            new Finding("base", "error", null, "The unrelated tree has no history in common with mainline, so it cannot contain the hmm topic's base v6.1"),
        ], run.Findings.Where(f => f.Check == "base"));
        Assert.DoesNotContain(run.Messages("base"), m => m.Contains("drag", StringComparison.Ordinal));
    }

    [Fact]
    public void A_topic_with_no_commits_beyond_mainline_has_nothing_to_check_and_is_ready()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Empty(run.Findings);
        Assert.Equal(0, run.Report.GetProperty("topic").GetProperty("commits").GetArrayLength());
        Assert.Contains("Nothing to check: the topic has no commits beyond mainline.", run.Markdown);
        Assert.Contains(run.Pipeline.Host.Lines, l => l == "nothing to check: the hmm topic has no commits beyond mainline");
    }

    [Fact]
    public void Merging_a_mainline_tag_is_fine_but_merging_a_downstream_tree_or_an_untagged_commit_is_an_error()
    {
        using var s = new TopicScenario();
        s.Upstream.Checkout("master");
        s.Upstream.Commit("Linux 6.2-rc1", "Makefile", "VERSION = 6\nPATCHLEVEL = 2\n");
        s.Upstream.Git("tag", "-a", "v6.2-rc1", "-m", "Linux 6.2-rc1");
        var untagged = s.Upstream.Commit("mm: later", "mm/later.c", "1\n");
        s.Branch("drm-next");
        var drm = s.Upstream.Commit($"drm: stuff\n\n{Sob()}\n", "drivers/gpu/drm/a.c", "int a;\n");
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: a\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge tag 'v6.2-rc1' into hmm", "v6.2-rc1");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge mainline", untagged);
        var mainlineMerge = s.Upstream.Head;
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge branch 'drm-next' into hmm", "drm-next");
        var drmMerge = s.Upstream.Head;

        var run = Execute(s, [("rdma", "master"), ("drm", "drm-next")]);

        Assert.Equal([
            $"Merge commit {Short(mainlineMerge)} (\"Merge mainline\") merges mainline at {Short(untagged)} (\"mm: later\"), which is not a release or -rc tag",
            $"Merge commit {Short(drmMerge)} (\"Merge branch 'drm-next' into hmm\") merges the drm tree into the hmm topic (at {Short(drm)} (\"drm: stuff\")): that would drag it into every other downstream tree",
        ], run.Messages("no-back-merges"));
    }
}
