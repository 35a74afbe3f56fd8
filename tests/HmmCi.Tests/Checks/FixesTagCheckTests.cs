using HmmCi.Checks;
using HmmCi.Tests.Fixtures;
using static HmmCi.Tests.Checks.CheckRun;

namespace HmmCi.Tests.Checks;

public class FixesTagCheckTests
{
    private static string Problem(string commit, string subject, string tag, string problem) =>
        $"In commit {Short(commit)} (\"{subject}\"), Fixes tag \"Fixes: {tag}\" has these problem(s): - {problem}";

    [Fact]
    public void A_correct_tag_to_mainline_or_to_an_earlier_topic_commit_passes()
    {
        using var s = new TopicScenario();
        var v61 = s.Upstream.Git("rev-parse", "v6.1^{commit}").Trim();
        s.Branch("hmm");
        var first = s.Upstream.Commit($"mm/hmm: first\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        s.Upstream.Commit($"mm/hmm: second\n\nFixes: {v61[..12]} (\"Linux 6.1\")\nFixes: {first} (\"mm/hmm: first\")\n{Sob()}\n", "mm/hmm.c", "int b;\n");

        Assert.Empty(Execute(s, [("rdma", "master")]).Messages("fixes-tag"));
    }

    [Fact]
    public void Each_problem_is_one_finding_in_check_fixes_words()
    {
        using var s = new TopicScenario();
        var v61 = s.Upstream.Git("rev-parse", "v6.1^{commit}").Trim();
        s.Branch("hmm");
        var tags = $"Fixes: {v61[..8]} (\"Linux 6.0\")\nFixes: 0123456789abcdef (\"gone\")\nFixes: the big bug\nFixes: {v61[..12]} (\"Linux 6.1\n";
        var c = s.Upstream.Commit($"mm/hmm: fix\n\n{tags}{Sob()}\n", "mm/hmm.c", "int a;\n");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([
            Problem(c, "mm/hmm: fix", $"{v61[..8]} (\"Linux 6.0\")", FixesTag.ShortSha),
            Problem(c, "mm/hmm: fix", $"{v61[..8]} (\"Linux 6.0\")", $"Subject does not match target commit subject (the target is {Short(v61)} (\"Linux 6.1\"))"),
            Problem(c, "mm/hmm: fix", "0123456789abcdef (\"gone\")", "Target SHA1 does not exist"),
            Problem(c, "mm/hmm: fix", "the big bug", "No SHA1 recognised"),
            Problem(c, "mm/hmm: fix", $"{v61[..12]} (\"Linux 6.1", "Subject has leading but no trailing parentheses"),
            Problem(c, "mm/hmm: fix", $"{v61[..12]} (\"Linux 6.1", "Subject has leading but no trailing quotes"),
        ], run.Messages("fixes-tag"));
    }

    [Fact]
    public void A_mainline_target_newer_than_the_topics_base_is_not_an_ancestor()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var c = s.Upstream.Commit($"mm/hmm: placeholder\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        // Mainline moves on after v6.1; the topic (still on v6.1) names the newer mainline commit.
        s.Upstream.Checkout("master");
        var newer = s.Upstream.Commit($"mm: newer mainline fix\n\n{Sob()}\n", "mm/memory.c", "m\n");
        s.Upstream.Checkout("hmm");
        var d = s.Upstream.Commit($"mm/hmm: fix\n\nFixes: {newer[..12]} (\"mm: newer mainline fix\")\nFixes: {c[..12]} (\"mm/hmm: placeholder\")\n{Sob()}\n", "mm/hmm.c", "int b;\n");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([
            Problem(d, "mm/hmm: fix", $"{newer[..12]} (\"mm: newer mainline fix\")", "Target is not an ancestor of this commit"),
        ], run.Messages("fixes-tag"));
    }

    [Fact]
    public void A_target_that_is_a_tree_or_blob_or_a_later_commit_or_only_in_one_downstream_is_reported()
    {
        using var s = new TopicScenario();
        s.Branch("drm-next");
        var drmOnly = s.Upstream.Commit($"drm: only here\n\n{Sob()}\n", "drivers/gpu/drm/a.c", "int a;\n");
        s.Branch("hmm");
        var blob = s.Upstream.Git("rev-parse", "v6.1:Makefile").Trim();
        var tree = s.Upstream.Git("rev-parse", "v6.1^{tree}").Trim();
        var c = s.Upstream.Commit($"mm/hmm: fix\n\nFixes: {blob} (\"Makefile\")\nFixes: {tree} (\"top\")\nFixes: {drmOnly[..12]} (\"drm: only here\")\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        // A side branch merged after the commit that names it: the target exists but is not an ancestor.
        s.Upstream.Checkout("later-branch", create: true);
        var later = s.Upstream.Commit($"mm/hmm: later\n\n{Sob()}\n", "mm/hmm.c", "int b;\n");
        s.Upstream.Checkout("hmm");
        var d = s.Upstream.Commit($"mm/hmm: before\n\nFixes: {later[..12]} (\"mm/hmm: later\")\n{Sob()}\n", "mm/hmm.h", "x\n");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge later", "later-branch");

        var run = Execute(s, [("rdma", "master"), ("drm", "drm-next")], "checks:\n  rules:\n    no-back-merges: { enabled: false }\n");

        Assert.Equal([
            Problem(c, "mm/hmm: fix", $"{blob} (\"Makefile\")", "Target SHA1 names a blob, not a commit"),
            Problem(c, "mm/hmm: fix", $"{tree} (\"top\")", "Target SHA1 names a tree, not a commit"),
            Problem(c, "mm/hmm: fix", $"{drmOnly[..12]} (\"drm: only here\")", "Target SHA1 is not in mainline or the hmm topic, and the rdma tree does not contain it"),
            Problem(c, "mm/hmm: fix", $"{drmOnly[..12]} (\"drm: only here\")", "Target is not an ancestor of this commit"),
            Problem(d, "mm/hmm: before", $"{later[..12]} (\"mm/hmm: later\")", "Target is not an ancestor of this commit"),
        ], run.Messages("fixes-tag"));
    }
}
