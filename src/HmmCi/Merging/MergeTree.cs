using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>A merge that git could not attempt at all (unrelated histories, a missing commit), in git's words.</summary>
public sealed record MergeAttempt(MergeTreeOutput? Output, string? Error);

/// <summary>
/// In-memory merges through <c>git merge-tree --write-tree</c> (merge-ort). Git rather than LibGit2Sharp because
/// of speed: LibGit2Sharp's MergeCommits took 1-2 s for a clean merge of a kernel tree, merge-tree under 10 ms.
/// No work tree or index is touched; the result, markers included, is written as a tree into the store.
/// </summary>
public sealed class MergeTree(GitCli git)
{
    /// <summary>Merges <paramref name="theirs"/> into <paramref name="ours"/>; the oracle command is exactly this one.</summary>
    public async Task<MergeAttempt> RunAsync(string ours, string theirs, CancellationToken cancellation = default)
    {
        // The plain conflict style is pinned so a maintainer's diff3 setting cannot change excerpts or preimages.
        var result = await git.RunAsync(["-c", "merge.conflictStyle=merge", "merge-tree", "--write-tree", "-z", "--messages", ours, theirs], cancellation: cancellation);
        return result.ExitCode switch
        {
            // git 2.39 exits 1, printing nothing but a message, for a commit it cannot find: that is no conflict.
            1 when result.Output.Length == 0 => new MergeAttempt(null, Describe(result.Error)),
            0 or 1 => new MergeAttempt(MergeTreeOutputParser.Parse(result.Output, clean: result.ExitCode == 0), null),
            _ => new MergeAttempt(null, Describe(result.Error)),
        };
    }

    /// <summary>
    /// The same merge, with tree names instead of commit ids in git's messages and in the paths it invents
    /// (<see cref="MergeLabels"/>): what every test merge and the merge window use.
    /// </summary>
    public async Task<MergeAttempt> RunAsync(MergeSide ours, MergeSide theirs, StoreObjects objects, CancellationToken cancellation = default)
    {
        var attempt = await RunAsync(ours.Head, theirs.Head, cancellation);
        return attempt.Output is { } output ? attempt with { Output = MergeLabels.Apply(output, ours, theirs, objects) } : attempt;
    }

    private static string Describe(string error)
    {
        var text = GitCli.FirstLines(error).Replace("fatal: ", "", StringComparison.Ordinal);
        return text.Contains("unrelated histories", StringComparison.Ordinal)
            ? $"the trees have no history in common (git: {text})"
            : $"git merge-tree failed: {text}";
    }
}
