using HmmCi.Tests.Fixtures;
using static HmmCi.Tests.Checks.CheckRun;

namespace HmmCi.Tests.Checks;

public class FixesTagCheckTests
{
    private const string Own = "(HmmCi's own check)";

    private static string Message(string commit, string subject, string line, params string[] problems) =>
        $"In commit {Short(commit)} (\"{subject}\"), Fixes tag \"{line}\" has these problem(s): {string.Join(" ", problems.Select(p => $"- {p}"))}";

    [Fact]
    public void A_correct_tag_to_mainline_or_to_an_earlier_topic_commit_passes()
    {
        using var s = new TopicScenario();
        var v61 = s.Upstream.Git("rev-parse", "v6.1^{commit}").Trim();
        s.Branch("hmm");
        var first = s.Upstream.Commit($"mm/hmm: first\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        s.Upstream.Commit($"mm/hmm: second\n\nFixes: {v61[..12]} (\"Linux 6.1\")\nFixes: {first} (\"mm/hmm: first\")\n{Sob()}\n", "mm/hmm.c", "int b;\n");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Empty(run.Messages("fixes-tag"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void Each_tag_is_one_message_listing_its_problems_in_check_fixes_order_and_words()
    {
        using var s = new TopicScenario();
        var v61 = s.Upstream.Git("rev-parse", "v6.1^{commit}").Trim();
        s.Branch("hmm");
        var tags = $"Fixes: {v61[..8]} (\"Linux 6.0\")\nFixes: commit 0123456789abcdef (\"gone\")\nFixes: the big bug\nFixes: {v61[..12]} (\"Linux 6.1\n"
            + $"Fixes: commit {v61[..12]}(\"Linux 6.1\")\nFixes: {v61[..12]}\nFixes: {v61[..12]} (\"Linux ... 1\")\n"
            // git's --pretty=reference form: no quotes, and a date that is not part of the subject.
            + $"Fixes: {v61[..12]} (Linux 6.1, 2022-12-11)\n";
        var c = s.Upstream.Commit($"mm/hmm: fix\n\n{tags}{Sob()}\n", "mm/hmm.c", "int a;\n");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([
            Message(c, "mm/hmm: fix", $"Fixes: {v61[..8]} (\"Linux 6.0\")", "SHA1 should be at least 12 digits long",
                $"Subject does not match target commit subject; just use Fixes: {Short(v61)} (\"Linux 6.1\")"),
            // check_fixes stops at a missing target: the leading word is not reported any more.
            Message(c, "mm/hmm: fix", "Fixes: commit 0123456789abcdef (\"gone\")", "Target SHA1 does not exist"),
            Message(c, "mm/hmm: fix", "Fixes: the big bug", "No SHA1 recognised"),
            Message(c, "mm/hmm: fix", $"Fixes: {v61[..12]} (\"Linux 6.1", "Subject has leading but no trailing parentheses", "Subject has leading but no trailing quotes"),
            Message(c, "mm/hmm: fix", $"Fixes: commit {v61[..12]}(\"Linux 6.1\")", "leading word 'commit' unexpected", "missing space between the SHA1 and the subject"),
            Message(c, "mm/hmm: fix", $"Fixes: {v61[..12]}", "missing subject"),
            Message(c, "mm/hmm: fix", $"Fixes: {v61[..12]} (Linux 6.1, 2022-12-11)", $"Subject does not match target commit subject; just use Fixes: {Short(v61)} (\"Linux 6.1\")"),
        ], run.Messages("fixes-tag"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_wrapped_tag_is_read_one_line_at_a_time_and_never_folded_with_its_continuation()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var target = s.Upstream.Commit($"mm/hmm: make the range walk stop at the first hole in the mapping\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        var c = s.Upstream.Commit("mm/hmm: fix the walk\n\n"
            + $"Fixes: {target[..12]} (\"mm/hmm: make the range walk stop at the\n    first hole in the mapping\")\n"
            + "Fixes:\n - http://bugs.example.org/show_bug.cgi?id=12\n"
            + $"{Sob()}\n", "mm/hmm.c", "int b;\n");

        var run = Execute(s, [("rdma", "master")]);

        // The subject on the first line is the start of the target's, so it matches; the split is what is wrong.
        Assert.Equal([
            Message(c, "mm/hmm: fix the walk", $"Fixes: {target[..12]} (\"mm/hmm: make the range walk stop at the",
                "Subject has leading but no trailing parentheses", "Subject has leading but no trailing quotes"),
            Message(c, "mm/hmm: fix the walk", "Fixes:", "No SHA1 recognised"),
        ], run.Messages("fixes-tag"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_crlf_message_kept_verbatim_is_read_as_check_fixes_reads_it()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var target = s.Upstream.Commit($"mm/hmm: add the walk\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        s.Upstream.Commit("placeholder", "mm/hmm.c", "int b;\n");
        // As a web editor writes it: CRLF line ends that git's cleanup would have removed.
        var message = s.Directory.WriteFile("crlf.txt", $"mm/hmm: fix the walk\r\n\r\nFixes: {target[..8]} (\"mm/hmm: add the walk\")\r\nFixes: {target[..12]} \"mm/hmm: add the walk\"\r\n{Sob()}\r\n");
        s.Upstream.Git("commit", "-q", "--amend", "--cleanup=verbatim", "-F", message);
        var c = s.Upstream.Head;

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([
            Message(c, "mm/hmm: fix the walk", $"Fixes: {target[..8]} (\"mm/hmm: add the walk\")", "SHA1 should be at least 12 digits long"),
            // Without parentheses the CR ends the subject, so its closing quote is not last.
            Message(c, "mm/hmm: fix the walk", $"Fixes: {target[..12]} \"mm/hmm: add the walk\"", "Subject has leading but no trailing quotes",
                $"Subject does not match target commit subject; just use Fixes: {Short(target)} (\"mm/hmm: add the walk\")"),
        ], run.Messages("fixes-tag"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_backport_citing_a_mainline_commit_newer_than_its_base_passes_as_in_check_fixes()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: placeholder\n\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        // Mainline moves on after v6.1; the topic (a stable-style branch still on v6.1) backports a fix for a newer mainline commit.
        s.Upstream.Checkout("master");
        var newer = s.Upstream.Commit($"mm: newer mainline change\n\n{Sob()}\n", "mm/memory.c", "m\n");
        s.Upstream.Checkout("hmm");
        s.Upstream.Commit($"mm: fix the newer change\n\nFixes: {newer[..12]} (\"mm: newer mainline change\")\n{Sob()}\n", "mm/memory.c", "m, fixed\n");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Empty(run.Messages("fixes-tag"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_target_on_a_side_branch_merged_later_is_not_reported_as_check_fixes_only_counts_target_to_commit()
    {
        using var s = new TopicScenario();
        s.Branch("side");
        var side = s.Upstream.Commit($"mm/hmm: on a side branch\n\n{Sob()}\n", "mm/other.c", "o\n");
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: names a side commit\n\nFixes: {side[..12]} (\"mm/hmm: on a side branch\")\n{Sob()}\n", "mm/hmm.c", "int c;\n");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge side", "side");

        var run = Execute(s, [("rdma", "master")], "checks:\n  rules:\n    no-back-merges: { enabled: false }\n");

        // The side commit is no ancestor of the tagged one, but `git rev-list --count side..commit` is not 0.
        Assert.Empty(run.Messages("fixes-tag"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_tag_naming_a_commit_that_comes_after_the_tagged_one_is_not_an_ancestor()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        // A descendant cannot be named by its full SHA1, only by a short one it happens to start with: write the
        // tag with a 5-digit prefix, then search for a child commit whose SHA1 starts with it.
        const string prefix = "c0ffe";
        var tagged = s.Upstream.Commit($"mm/hmm: early\n\nFixes: {prefix} (\"mm/hmm: later\")\n{Sob()}\n", "mm/hmm.c", "int a;\n");
        var child = ChildStartingWith(s.Upstream, tagged, prefix, "mm/hmm: later");
        s.Upstream.Git("reset", "-q", "--hard", child);

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([
            Message(tagged, "mm/hmm: early", $"Fixes: {prefix} (\"mm/hmm: later\")", "SHA1 should be at least 12 digits long", "Target is not an ancestor of this commit"),
        ], run.Messages("fixes-tag"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    /// <summary>Writes a child of <paramref name="parent"/> (same tree) whose SHA1 starts with <paramref name="prefix"/>, varying a line of its message.</summary>
    private static string ChildStartingWith(GitRepository repo, string parent, string prefix, string subject)
    {
        var tree = repo.Git("rev-parse", $"{parent}^{{tree}}").Trim();
        var want = Convert.FromHexString(prefix + "0")[..2];
        for (var nonce = 0; ; nonce++)
        {
            var body = $"tree {tree}\nparent {parent}\nauthor Alice Author <alice@example.org> 1700009999 +0000\n"
                + $"committer Alice Author <alice@example.org> 1700009999 +0000\n\n{subject}\n\nAttempt {nonce}.\n\n{Sob()}\n";
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            var hash = System.Security.Cryptography.SHA1.HashData([.. System.Text.Encoding.ASCII.GetBytes($"commit {bytes.Length}\0"), .. bytes]);
            if (hash[0] != want[0] || hash[1] != want[1] || (hash[2] >> 4) != Convert.FromHexString("0" + prefix[4])[0]) continue;
            var path = Path.Combine(repo.Path, ".git", "child-commit");
            File.WriteAllBytes(path, bytes);
            var sha = repo.Git("hash-object", "-t", "commit", "-w", path).Trim();
            Assert.StartsWith(prefix, sha);
            return sha;
        }
    }

    [Fact]
    public void A_target_that_is_a_tree_or_blob_or_only_in_one_downstream_is_hmmcis_own_finding()
    {
        using var s = new TopicScenario();
        s.Branch("drm-next");
        var drmOnly = s.Upstream.Commit($"drm: only here\n\n{Sob()}\n", "drivers/gpu/drm/a.c", "int a;\n");
        s.Branch("hmm");
        var blob = s.Upstream.Git("rev-parse", "v6.1:Makefile").Trim();
        var tree = s.Upstream.Git("rev-parse", "v6.1^{tree}").Trim();
        var c = s.Upstream.Commit($"mm/hmm: fix\n\nFixes: {blob} (\"Makefile\")\nFixes: {tree} (\"top\")\nFixes: {drmOnly[..12]} (\"drm: only here\")\n{Sob()}\n", "mm/hmm.c", "int a;\n");

        var run = Execute(s, [("rdma", "master"), ("drm", "drm-next")]);

        Assert.Equal([
            Message(c, "mm/hmm: fix", $"Fixes: {blob} (\"Makefile\")", $"Target SHA1 names a blob, not a commit {Own}"),
            Message(c, "mm/hmm: fix", $"Fixes: {tree} (\"top\")", $"Target SHA1 names a tree, not a commit {Own}"),
            Message(c, "mm/hmm: fix", $"Fixes: {drmOnly[..12]} (\"drm: only here\")", $"the target is not in the rdma tree, which will carry this commit {Own}"),
        ], run.Messages("fixes-tag"));
    }
}
