using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Selftests;

namespace HmmCi.Kernel;

/// <summary>
/// The Selftests stage's bisect steps: the topic up to one of its commits, test-merged into the downstream tree's head
/// (<c>git merge-tree --write-tree</c> and <c>git commit-tree</c>, no ref), built incrementally by the Build stage.
/// </summary>
public sealed class KernelBisectBuilder(KernelBuildStage stage, MergeReadinessReport report, string gitDirectory, IProcessRunner runner) : IBisectBuilder
{
    public async Task<BuildRecord> BuildAsync(string tree, CommitRef topicCommit, CancellationToken cancellation)
    {
        var head = report.Trees.FirstOrDefault(t => t.Name == tree)?.Head
            ?? throw new InvalidOperationException($"no head for {tree} in this run's report");
        var merged = await Git(["merge-tree", "--write-tree", head, topicCommit.Sha], cancellation);
        if (!merged.Success)
            return new BuildRecord
            {
                Kind = BuildKind.Merged, Config = "-", Status = StageStatus.Fail,
                Reason = $"the topic up to {topicCommit} does not merge cleanly into {tree}",
            };
        var commit = await Git(["commit-tree", merged.Output.Split('\n')[0].Trim(), "-p", head, "-p", topicCommit.Sha,
            "-m", $"Merge the topic up to {topicCommit} into {tree} (bisect step)"], cancellation);
        if (!commit.Success) throw new InvalidOperationException($"git commit-tree: {commit.Error.Trim()}");
        return await stage.BuildCommitAsync(tree, commit.Output.Trim(), $"bisect-{topicCommit.Sha[..12]}", cancellation);
    }

    Task<ProcessResult> Git(IReadOnlyList<string> arguments, CancellationToken cancellation) =>
        runner.RunAsync(new ProcessSpec("git", ["--git-dir", gitDirectory, .. arguments])
        {
            // Same inputs, same commit: a bisect step rebuilt later is a cache hit.
            Environment = new Dictionary<string, string?>
            {
                ["GIT_AUTHOR_NAME"] = "HmmCi", ["GIT_AUTHOR_EMAIL"] = "hmmci@localhost", ["GIT_AUTHOR_DATE"] = "@0 +0000",
                ["GIT_COMMITTER_NAME"] = "HmmCi", ["GIT_COMMITTER_EMAIL"] = "hmmci@localhost", ["GIT_COMMITTER_DATE"] = "@0 +0000",
                ["LC_ALL"] = "C",
            },
        }, cancellation);
}
