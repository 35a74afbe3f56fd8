using System.Diagnostics;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Selftests;

/// <summary>
/// Builds the topic up to one of its commits merged into a downstream tree, incrementally, through the Build stage's
/// machinery; the record's artifacts (kernel, hmm-tests) are relative to the output folder.
/// </summary>
public interface IBisectBuilder
{
    Task<BuildRecord> BuildAsync(string tree, CommitRef topicCommit, CancellationToken cancellation);
}

/// <summary>
/// Finds the first topic commit (oldest first) whose merge breaks the regressed tests: the downstream tree alone is good,
/// the whole topic bad, and each step tests the middle of what is left, within a time budget. A step that cannot tell
/// (its build failed, the tests did not report) ends the bisect with the range that is left.
/// </summary>
public static class SelftestBisect
{
    /// <summary>A step's verdict: true when the regressed tests still fail at that commit; null when it could not tell.</summary>
    public delegate Task<(bool? Bad, string Result)> Step(CommitRef commit, CancellationToken cancellation);

    public sealed record Outcome(CommitRef? Culprit, IReadOnlyList<BisectStep> Steps, string? Note);

    public static async Task<Outcome> RunAsync(IReadOnlyList<CommitRef> commits, TimeSpan budget, Step step, CancellationToken cancellation)
    {
        var steps = new List<BisectStep>();
        if (commits.Count == 0) return new Outcome(null, steps, "the topic has no commits to bisect");
        // good: the index of the last commit known good (-1: the tree without the topic); bad: the first known bad.
        var (good, bad) = (-1, commits.Count - 1);
        var clock = Stopwatch.StartNew();
        while (bad - good > 1)
        {
            if (clock.Elapsed >= budget)
                return new Outcome(null, steps, $"the bisect budget ({SelftestSession.Say(budget)}) ran out: {Range(commits, good, bad)}");
            var middle = (good + bad) / 2;
            var watch = Stopwatch.StartNew();
            var (isBad, result) = await step(commits[middle], cancellation);
            steps.Add(new BisectStep(commits[middle], result, watch.ElapsedMilliseconds));
            if (isBad is null) return new Outcome(null, steps, $"{commits[middle]} could not be tested ({result}): {Range(commits, good, bad)}");
            if (isBad.Value) bad = middle; else good = middle;
        }
        return new Outcome(commits[bad], steps, null);
    }

    static string Range(IReadOnlyList<CommitRef> commits, int good, int bad) =>
        bad - good == 1 ? $"the culprit is {commits[bad]}"
        : $"the culprit is one of the {bad - good} commits {commits[good + 1]} .. {commits[bad]}";
}
