using HmmCi.Merging;
using HmmCi.Reports;
using HmmCi.Selftests;
using HmmCi.Trees;

namespace HmmCi.Kernel;

/// <summary>
/// The Selftests stage's bisect steps: the topic up to one of its commits, test-merged into the downstream tree's head
/// as the test merge is (<see cref="MergeRecipe"/>: the tree's recorded resolution applied, no ref), built
/// incrementally by the Build stage.
/// </summary>
public sealed class KernelBisectBuilder(KernelBuildStage stage, MergeReadinessReport report, MergeRecipe merges) : IBisectBuilder
{
    public async Task<BuildRecord> BuildAsync(string tree, CommitRef topicCommit, CancellationToken cancellation)
    {
        var head = report.Trees.FirstOrDefault(t => t.Name == tree)?.Head
            ?? throw new InvalidOperationException($"no head for {tree} in this run's report");
        var merged = await merges.MergeAsync(new MergeRequest(new MergeSide(tree, head), new MergeSide(report.Topic.Name, topicCommit.Sha),
            $"Merge the topic up to {topicCommit} into {tree} (bisect step)"), cancellation);
        if (merged.Commit is not { } commit)
            return new BuildRecord
            {
                Kind = BuildKind.Merged, Config = "-", Status = StageStatus.Fail,
                Reason = merged.Error is { } error ? $"the topic up to {topicCommit} does not merge into {tree}: {error}"
                    : $"the topic up to {topicCommit} conflicts with {tree} in {string.Join(", ", merged.Conflicts.Select(c => c.Conflict.Path))}"
                      + (merged.Resolution is null ? "" : "; the recorded resolution does not resolve it"),
            };
        return await stage.BuildCommitAsync(tree, commit, $"bisect-{topicCommit.Sha[..12]}", cancellation);
    }
}
