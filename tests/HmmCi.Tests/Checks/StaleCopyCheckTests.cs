using HmmCi.Tests.Fixtures;
using static HmmCi.Tests.Checks.CheckRun;

namespace HmmCi.Tests.Checks;

public class StaleCopyCheckTests
{
    private const string Scope = "checks:\n  scope: [mm/hmm.c, include/linux/hmm.h, mm/memory.c, include/uapi/]\n";

    /// <summary>
    /// The hmm topic has "one" and "two"; drm-next merges it with <paramref name="mergeMessage"/>; then the topic is
    /// rebased as git rebase does it (author and author date kept): "one" keeps its patch, "two" changes.
    /// </summary>
    private static (string OldOne, string OldTwo, string NewOne, string NewTwo, string Merge) PulledThenRebased(TopicScenario s, string mergeMessage)
    {
        s.Branch("hmm");
        var oldOne = s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        var oldTwo = s.Upstream.Commit($"mm/hmm: two\n\n{Sob()}\n", "include/linux/hmm.h", "2\n");
        s.Branch("drm-next");
        s.Upstream.Commit($"drm: own\n\n{Sob()}\n", "drivers/gpu/drm/a.c", "a\n");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", string.Format(mergeMessage, s.Upstream.Path), "hmm");
        var merge = s.Upstream.Head;

        s.Upstream.Checkout("hmm");
        s.Upstream.Git("reset", "-q", "--hard", "v6.1");
        s.Upstream.Git("cherry-pick", oldOne);
        var newOne = s.Upstream.Head;
        s.Upstream.Git("cherry-pick", oldTwo);
        File.WriteAllText(Path.Combine(s.Upstream.Path, "include/linux/hmm.h"), "2, reworked\n");
        s.Upstream.Git("commit", "-q", "-a", "--amend", "--no-edit");
        return (oldOne, oldTwo, newOne, s.Upstream.Head, merge);
    }

    [Theory]
    [InlineData("Merge branch 'hmm' of {0}")]
    [InlineData("Merge branch 'hmm' of file://{0}/ into drm-next")]
    [InlineData("Merge tag 'hmm-for-6.2' of {0}.git")]
    [InlineData("Merge branch 'hmm'")]
    [InlineData("Merge branch 'hmm' into drm-next")]
    [InlineData("Merge remote-tracking branch 'hmm-tree/hmm'")]
    public void A_downstream_merge_naming_the_topic_that_brought_in_rewritten_commits_is_a_stale_copy(string mergeMessage)
    {
        using var s = new TopicScenario();
        var (oldOne, oldTwo, newOne, newTwo, merge) = PulledThenRebased(s, mergeMessage);
        var mergeCite = $"{Short(merge)} (\"{string.Format(mergeMessage, s.Upstream.Path)}\")";

        var run = Execute(s, [("drm", "drm-next")], Scope);

        Assert.Equal([
            new Finding("stale-copy", "error", newOne, $"The drm tree contains {Short(oldOne)} (\"mm/hmm: one\"), an earlier version of {Short(newOne)} (\"mm/hmm: one\") (same patch-id): its merge {mergeCite} pulled a version of the hmm topic that was later rewritten"),
            new Finding("stale-copy", "error", newTwo, $"The drm tree contains {Short(oldTwo)} (\"mm/hmm: two\"), an earlier version of {Short(newTwo)} (\"mm/hmm: two\") (same subject, author and date, different patch): its merge {mergeCite} pulled a version of the hmm topic that was later rewritten"),
        ], run.Findings.Where(f => f.Check == "stale-copy"));
        // Reported once, as a stale copy, though "one" has the same patch-id.
        Assert.Empty(run.Messages("duplicates"));
    }

    [Theory]
    [InlineData("Merge pull request #12 from alice/hmm")]
    [InlineData("Merge branch 'hmm' of /srv/git/someone-else.git")]
    [InlineData("Merge tag 'hmm-for-6.2'")]
    public void A_merge_that_does_not_name_the_topic_is_no_evidence_so_same_patches_are_duplicates(string mergeMessage)
    {
        using var s = new TopicScenario();
        var (oldOne, _, newOne, _, _) = PulledThenRebased(s, mergeMessage);

        var run = Execute(s, [("drm", "drm-next")], Scope);

        Assert.Empty(run.Messages("stale-copy"));
        Assert.Equal([$"The following commit is also in the drm tree as a different commit (but the same patch): {Short(newOne)} (\"mm/hmm: one\"). This is commit {Short(oldOne)} (\"mm/hmm: one\") in the drm tree."],
            run.Messages("duplicates"));
        Assert.Equal(PatchIdReference(s, "hmm", "drm-next"), Duplicates(run));
    }

    [Fact]
    public void Later_work_on_top_of_the_topic_head_that_reuses_a_subject_is_not_a_stale_copy()
    {
        using var s = new TopicScenario();
        const string leon = "Leon Romanov <leon@example.org>";
        s.Branch("hmm");
        s.Upstream.Commit($"Update kernel headers\n\n{Sob(leon)}\n", new Dictionary<string, string?> { ["include/uapi/rdma.h"] = "v1\n" }, author: leon);
        // rdma builds on the topic head; a pull request later updates the headers again, same subject, author and committer.
        s.Branch("rdma-next", "hmm");
        s.Upstream.Commit($"RDMA: own work\n\n{Sob(leon)}\n", new Dictionary<string, string?> { ["drivers/infiniband/a.c"] = "a\n" }, author: leon);
        s.Branch("leon-headers", "hmm");
        s.Upstream.Commit($"Update kernel headers\n\n{Sob(leon)}\n", new Dictionary<string, string?> { ["include/uapi/rdma.h"] = "v2\n" }, author: leon);
        s.Upstream.Checkout("rdma-next");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge pull request #7 from leon/headers", "leon-headers");

        var run = Execute(s, [("rdma", "rdma-next")], Scope);

        Assert.Empty(run.Messages("stale-copy"));
        Assert.Empty(run.Messages("duplicates"));
    }

    [Fact]
    public void A_stable_backport_with_a_different_patch_and_the_same_subject_and_author_is_not_a_stale_copy()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: fix the walk\n\n{Sob()}\n", "mm/hmm.c", "int fixed;\n");
        s.Branch("stable-v6.1");
        s.Upstream.Commit($"mm: stable-only fix\n\n{Sob()}\n", "mm/memory.c", "m\n");
        // The backport adapts the patch to the older code, by the same author, and comes in through a pull request.
        s.Branch("backport", "v6.1");
        s.Upstream.Commit($"mm/hmm: fix the walk\n\n{Sob()}\n", "mm/hmm.c", "int fixed_for_stable;\n");
        s.Upstream.Checkout("stable-v6.1");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge pull request #9 from alice/backport", "backport");

        var run = Execute(s, [("stable", "stable-v6.1")], Scope);

        Assert.Empty(run.Messages("stale-copy"));
        Assert.Empty(run.Messages("duplicates"));
    }

    [Fact]
    public void The_original_of_a_commit_the_topic_cherry_picked_is_a_duplicate_never_a_stale_copy()
    {
        using var s = new TopicScenario();
        const string runner = "Test Runner <runner@example.org>";
        s.Branch("rdma-next");
        s.Upstream.Commit($"RDMA: own\n\n{Sob()}\n{Sob(runner)}\n", new Dictionary<string, string?> { ["drivers/infiniband/a.c"] = "a\n" }, committer: runner);
        s.Branch("pr", "v6.1");
        var original = s.Upstream.Commit($"mm/hmm: shared fix\n\n{Sob()}\n{Sob(runner)}\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int shared;\n" }, committer: runner);
        s.Upstream.Checkout("rdma-next");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge pull request #3 from alice/pr", "pr");
        // The topic takes the same fix, committed by the same person, saying where it came from.
        s.Branch("hmm");
        s.Upstream.Git("cherry-pick", "-x", original);
        var picked = s.Upstream.Head;

        var run = Execute(s, [("rdma", "rdma-next")], Scope);

        Assert.Empty(run.Messages("stale-copy"));
        Assert.Equal([$"The following commit is also in the rdma tree as a different commit (but the same patch): {Short(picked)} (\"mm/hmm: shared fix\"). This is commit {Short(original)} (\"mm/hmm: shared fix\") in the rdma tree."],
            run.Messages("duplicates"));
        Assert.Equal(PatchIdReference(s, "hmm", "rdma-next"), Duplicates(run));
    }

    [Fact]
    public void A_merged_commit_that_the_rebuilt_topic_says_it_cherry_picked_is_a_duplicate_never_a_stale_copy()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var old = s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        s.Branch("drm-next");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge branch 'hmm'", "hmm");
        s.Upstream.Checkout("hmm");
        s.Upstream.Git("reset", "-q", "--hard", "v6.1");
        s.Upstream.Git("cherry-pick", "-x", old);
        var picked = s.Upstream.Head;

        var run = Execute(s, [("drm", "drm-next")], Scope);

        Assert.Empty(run.Messages("stale-copy"));
        Assert.Equal([(picked, old)], Duplicates(run));
    }

    [Fact]
    public void A_downstream_that_merged_the_current_topic_and_reverted_then_reapplied_a_commit_has_a_duplicate_not_a_stale_copy()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var topic = s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        s.Branch("drm-next");
        s.Upstream.Commit($"drm: own\n\n{Sob()}\n", "drivers/gpu/drm/a.c", "a\n");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", $"Merge branch 'hmm' of {s.Upstream.Path}", "hmm");
        s.Upstream.Git("revert", "--no-edit", topic);
        s.Upstream.Git("revert", "--no-edit", "HEAD");
        var reapplied = s.Upstream.Head;
        // "Revert "Revert ..."" or, with newer git, "Reapply ...".
        var subject = s.Upstream.Git("log", "-1", "--format=%s").Trim();

        var run = Execute(s, [("drm", "drm-next")], Scope);

        Assert.Empty(run.Messages("stale-copy"));
        Assert.Equal([$"The following commit is also in the drm tree as a different commit (but the same patch): {Short(topic)} (\"mm/hmm: one\"). This is commit {Short(reapplied)} (\"{subject}\") in the drm tree."],
            run.Messages("duplicates"));
        Assert.Equal(PatchIdReference(s, "hmm", "drm-next"), Duplicates(run));
    }

    private static IReadOnlySet<(string, string)> Duplicates(CheckRun run) =>
        run.Report.GetProperty("trees")[0].GetProperty("duplicates").EnumerateArray()
            .Select(d => (d.GetProperty("topicCommit").GetString()!, d.GetProperty("treeCommit").GetString()!)).ToHashSet();

    /// <summary>linux-next's duplicate check from the shell: equal <c>git patch-id --stable</c> on the topic's and the tree's own commits.</summary>
    private static IReadOnlySet<(string, string)> PatchIdReference(TopicScenario s, string topic, string tree)
    {
        Dictionary<string, string> Ids(params string[] range) =>
            s.Upstream.Git(["-c", "core.pager=cat", "log", "-p", "--no-merges", "--format=commit %H", .. range]) is var log
                ? PatchIds(s, log) : [];
        var topicIds = Ids(topic, "^master");
        var treeIds = Ids(tree, $"^{topic}", "^master");
        return topicIds.SelectMany(t => treeIds.Where(d => d.Value == t.Value).Select(d => (t.Key, d.Key))).ToHashSet();
    }

    private static Dictionary<string, string> PatchIds(TopicScenario s, string log)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", ["patch-id", "--stable"]) { WorkingDirectory = s.Upstream.Path, RedirectStandardInput = true, RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Write(log);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(p => p[1], p => p[0]);
    }
}
