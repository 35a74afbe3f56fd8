using System.Text.Json;
using HmmCi.Tests.Fixtures;
using static HmmCi.Tests.Checks.CheckRun;

namespace HmmCi.Tests.Checks;

public class HistoryCheckTests
{
    [Fact]
    public void A_patch_applied_separately_in_a_downstream_is_a_duplicate_listed_under_the_tree()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var topic = s.Upstream.Commit($"mm/hmm: fix range\n\n{Sob()}\n", "mm/hmm.c", "int fixed;\n");
        s.Branch("rdma-next");
        s.Upstream.Commit($"RDMA: own work\n\n{Sob()}\n", "drivers/infiniband/a.c", "a\n");
        // The rdma maintainer applied the same patch from the list.
        s.Upstream.Git("cherry-pick", "-x", topic);
        var copy = s.Upstream.Head;

        var run = Execute(s, [("rdma", "rdma-next")], "checks:\n  scope: [mm/hmm.c]\n");

        Assert.Equal([new Finding("duplicates", "warning", topic,
            $"The following commit is also in the rdma tree as a different commit (but the same patch): {Short(topic)} (\"mm/hmm: fix range\"). This is commit {Short(copy)} (\"mm/hmm: fix range\") in the rdma tree.")], run.Findings);
        var duplicate = run.Report.GetProperty("trees")[0].GetProperty("duplicates")[0];
        Assert.Equal((topic, copy, "mm/hmm: fix range"),
            (duplicate.GetProperty("topicCommit").GetString(), duplicate.GetProperty("treeCommit").GetString(), duplicate.GetProperty("subject").GetString()));
        Assert.Contains("The following commits are also in the rdma tree as different commits (but the same patches):", run.Markdown);
        Assert.Empty(run.Messages("stale-copy"));
    }

    [Fact]
    public void A_rewritten_topic_is_an_error_naming_the_trees_with_the_old_commits_and_mapping_old_to_new_by_patch_id()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var oldOne = s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        var oldTwo = s.Upstream.Commit($"mm/hmm: two\n\n{Sob()}\n", "include/linux/hmm.h", "2\n");
        var oldThree = s.Upstream.Commit($"mm/hmm: three\n\n{Sob()}\n", "lib/test_hmm.c", "3\n");
        s.Branch("rdma-next", "hmm");
        const string checks = "checks:\n  scope: [mm/hmm.c, include/linux/hmm.h, lib/test_hmm*]\n";
        var state = s.Directory.Combine("cache", "published.json");
        var trees = new[] { ("rdma", "rdma-next"), ("drm", "master") };

        var first = Execute(s, trees, checks, "--published-state", state);
        Assert.Empty(first.Findings);
        Assert.Equal(oldThree, JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("topics").GetProperty("hmm").GetProperty("head").GetString());

        s.Upstream.Checkout("hmm");
        s.Upstream.Git("reset", "-q", "--hard", "v6.1");
        var newOne = s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        var newTwo = s.Upstream.Commit($"mm/hmm: two\n\n{Sob()}\n", "include/linux/hmm.h", "2, reworked\n");

        var second = Execute(s, trees, checks, "--published-state", state);
        Assert.Equal([
            new Finding("published-history", "error", null, $"The hmm topic was rewritten: its published head {Short(oldThree)} (\"mm/hmm: three\") is not contained in the new head {Short(newTwo)} (\"mm/hmm: two\"); the rdma tree already contains the old commits"),
            new Finding("published-history", "error", newOne, $"{Short(oldOne)} (\"mm/hmm: one\") was rewritten as {Short(newOne)} (\"mm/hmm: one\") (same patch-id)"),
            new Finding("published-history", "error", newTwo, $"{Short(oldTwo)} (\"mm/hmm: two\") was rewritten as {Short(newTwo)} (\"mm/hmm: two\") (the patch changed)"),
            new Finding("published-history", "error", null, $"{Short(oldThree)} (\"mm/hmm: three\") was dropped from the hmm topic"),
        ], second.Findings.Where(f => f.Check == "published-history"));
        const string source = "it pulled the hmm topic's published head {0} (\"mm/hmm: three\"), which was later rewritten";
        Assert.Equal([
            $"The rdma tree contains {Short(oldOne)} (\"mm/hmm: one\"), an earlier version of {Short(newOne)} (\"mm/hmm: one\") (same patch-id): {string.Format(source, Short(oldThree))}",
            $"The rdma tree contains {Short(oldTwo)} (\"mm/hmm: two\"), an earlier version of {Short(newTwo)} (\"mm/hmm: two\") (same subject and author, different patch): {string.Format(source, Short(oldThree))}",
            $"The rdma tree contains {Short(oldThree)} (\"mm/hmm: three\") from an earlier version of the hmm topic, which no longer has it: {string.Format(source, Short(oldThree))}",
        ], second.Messages("stale-copy"));
        // A stale copy is reported once, not also as a duplicate.
        Assert.Empty(second.Messages("duplicates"));

        // Not accepted: the old head stays remembered, so the next run still reports the rewrite.
        Assert.NotEmpty(Execute(s, trees, checks, "--published-state", state).Messages("published-history"));
        Execute(s, trees, checks, "--published-state", state, "--accept-rewrite");
        Assert.Empty(Execute(s, trees, checks, "--published-state", state).Messages("published-history"));
    }

    [Fact]
    public void Without_the_state_file_the_stores_ref_remembers_the_published_head()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var old = s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        var state = s.Directory.Combine("published.json");
        Execute(s, [("rdma", "master")], "", "--published-state", state);
        File.Delete(state);
        s.Upstream.Git("commit", "-q", "--amend", "-m", $"mm/hmm: one, reworded\n\n{Sob()}");
        var rewritten = s.Upstream.Head;

        var run = Execute(s, [("rdma", "master")], "", "--published-state", state);

        Assert.Equal([
            $"The hmm topic was rewritten: its published head {Short(old)} (\"mm/hmm: one\") is not contained in the new head {Short(rewritten)} (\"mm/hmm: one, reworded\"); the rewritten commits had not been pulled by any configured downstream tree yet",
            $"{Short(old)} (\"mm/hmm: one\") was rewritten as {Short(rewritten)} (\"mm/hmm: one, reworded\") (same patch-id)",
        ], run.Messages("published-history"));
    }

    [Fact]
    public void Amending_a_topic_that_no_downstream_has_pulled_is_a_warning_keeping_the_old_to_new_mapping()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var oldOne = s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        var oldTwo = s.Upstream.Commit($"mm/hmm: two\n\n{Sob()}\n", "include/linux/hmm.h", "2\n");
        // rdma-next has its own work but has not pulled the topic.
        s.Branch("rdma-next", "master");
        s.Upstream.Commit($"RDMA: own work\n\n{Sob()}\n", "drivers/infiniband/a.c", "a\n");
        const string checks = "checks:\n  scope: [mm/hmm.c, include/linux/hmm.h]\n";
        var state = s.Directory.Combine("cache", "published.json");
        var trees = new[] { ("rdma", "rdma-next"), ("drm", "master") };
        Assert.Empty(Execute(s, trees, checks, "--published-state", state).Findings);

        // The topic maintainer amends the last commit before anybody pulled it.
        s.Upstream.Checkout("hmm");
        s.Upstream.Git("reset", "-q", "--hard", "HEAD~1");
        var newTwo = s.Upstream.Commit($"mm/hmm: two, reworded\n\n{Sob()}\n", "include/linux/hmm.h", "2\n");

        var run = Execute(s, trees, checks, "--published-state", state);

        Assert.Equal([
            new Finding("published-history", "warning", null, $"The hmm topic was rewritten: its published head {Short(oldTwo)} (\"mm/hmm: two\") is not contained in the new head {Short(newTwo)} (\"mm/hmm: two, reworded\"); the rewritten commits had not been pulled by any configured downstream tree yet"),
            new Finding("published-history", "warning", newTwo, $"{Short(oldTwo)} (\"mm/hmm: two\") was rewritten as {Short(newTwo)} (\"mm/hmm: two, reworded\") (same patch-id)"),
        ], run.Findings);
        Assert.False(run.ChecksBlock);
        Assert.DoesNotContain(oldOne[..12], string.Join("\n", run.Findings.Select(f => f.Message)));
        // Nothing was pulled, so the new head is recorded and the next run is clean without --accept-rewrite.
        Assert.Equal(newTwo, JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("topics").GetProperty("hmm").GetProperty("head").GetString());
        Assert.Empty(Execute(s, trees, checks, "--published-state", state).Findings);
    }

    [Fact]
    public void A_topic_that_went_upstream_and_restarted_on_a_new_tag_is_not_a_rewrite()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        Execute(s, [("rdma", "master")]);
        s.Upstream.Checkout("master");
        s.Upstream.Git("merge", "-q", "--no-ff", "-m", "Merge tag 'hmm-for-6.2'", "hmm");
        s.Upstream.Git("tag", "-a", "v6.2-rc1", "-m", "Linux 6.2-rc1");
        s.Upstream.Git("branch", "-f", "hmm", "v6.2-rc1");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Empty(run.Messages("published-history"));
    }

    [Fact]
    public void A_corrupt_state_file_is_reported_and_replaced()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");
        var state = s.Directory.WriteFile("published.json", "{ not json");

        var run = Execute(s, [("rdma", "master")], "", "--published-state", state);

        Assert.Contains(run.Messages("published-history"), m => m.StartsWith($"published-history: skipped: state file {state} is not valid JSON (", StringComparison.Ordinal));
        Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(File.ReadAllText(state)).RootElement.GetProperty("topics").ValueKind);
    }

    [Fact]
    public void Rules_can_be_disabled_or_given_another_severity_in_hmmci_yml()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit("mm/hmm: unsigned", "mm/hmm.c", "1\n");

        var run = Execute(s, [("rdma", "master")], "checks:\n  rules:\n    signed-off-by: { severity: warning }\n    scope: { enabled: false }\n");

        Assert.Equal(["signed-off-by"], run.Findings.Select(f => f.Check).Distinct());
        Assert.All(run.Findings, f => Assert.Equal("warning", f.Severity));
        Assert.False(run.ChecksBlock);
        Assert.Contains("scope: disabled in hmmci.yml", run.Pipeline.Host.Lines);
    }

    [Fact]
    public void A_downstream_that_failed_to_fetch_is_skipped_with_its_reason()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mm/hmm: one\n\n{Sob()}\n", "mm/hmm.c", "1\n");

        var run = Execute(s, [("rdma", "master"), ("drm", "no-such-branch")], "checks:\n  scope: [mm/hmm.c]\n");

        Assert.Equal(["base", "duplicates", "stale-copy"], run.Findings.Select(f => f.Check));
        Assert.All(run.Findings, f => Assert.Equal($"{f.Check}: skipped: the drm tree could not be fetched (fetching {s.Upstream.Path} failed: fatal: couldn't find remote ref refs/heads/no-such-branch)", f.Message));
    }
}
