using HmmCi.Selftests;
using HmmCi.Trees;

namespace HmmCi.Tests.Selftests;

public class SelftestBisectTests
{
    static readonly IReadOnlyList<CommitRef> Topic = SelftestFixtures.Topic;

    static SelftestBisect.Step BadFrom(int first, List<string> tested) => (commit, _) =>
    {
        tested.Add(commit.Subject);
        var bad = Topic.ToList().IndexOf(commit) >= first;
        return Task.FromResult<(bool?, string)>((bad, bad ? "bad" : "good"));
    };

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task Finds_the_first_bad_commit_in_at_most_log2_steps_never_testing_the_whole_topic_again(int culprit)
    {
        var tested = new List<string>();
        var outcome = await SelftestBisect.RunAsync(Topic, TimeSpan.FromMinutes(20), BadFrom(culprit, tested), CancellationToken.None);
        Assert.Equal(Topic[culprit], outcome.Culprit);
        Assert.Null(outcome.Note);
        Assert.InRange(outcome.Steps.Count, 1, 3);
        Assert.DoesNotContain(Topic[^1].Subject, tested);
        Assert.Equal(tested, outcome.Steps.Select(s => s.Commit.Subject));
    }

    [Fact]
    public async Task When_the_budget_runs_out_the_range_that_is_left_is_said()
    {
        var outcome = await SelftestBisect.RunAsync(Topic, TimeSpan.Zero, BadFrom(4, []), CancellationToken.None);
        Assert.Null(outcome.Culprit);
        Assert.Empty(outcome.Steps);
        Assert.Equal("the bisect budget (0 s) ran out: the culprit is one of the 6 commits 111111111111 (\"mm/hmm: document HMM_PFN_ORDER_SHIFT in the pfn flags comment\") .. 666666666666 (\"mm/hmm: fix the comment above hmm_pfn_to_map_shift()\")", outcome.Note);
    }

    [Fact]
    public async Task A_step_that_cannot_tell_ends_the_bisect_with_the_range_left()
    {
        var outcome = await SelftestBisect.RunAsync(Topic, TimeSpan.FromMinutes(20),
            (commit, _) => Task.FromResult<(bool?, string)>(commit == Topic[2] ? (null, "build fail") : (true, "bad")), CancellationToken.None);
        Assert.Null(outcome.Culprit);
        Assert.Equal("333333333333 (\"mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()\") could not be tested (build fail): the culprit is one of the 6 commits 111111111111 (\"mm/hmm: document HMM_PFN_ORDER_SHIFT in the pfn flags comment\") .. 666666666666 (\"mm/hmm: fix the comment above hmm_pfn_to_map_shift()\")", outcome.Note);
        Assert.Equal("build fail", Assert.Single(outcome.Steps).Result);
    }
}
