using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>
/// Captures a recorded resolution from a maintainer's resolved work tree, in two runs of the same command. The
/// first makes a git worktree of the store with the conflicted merge (a real <c>git merge</c>, so git status,
/// mergetool and friends work); once the maintainer has resolved it, the second records each conflicted path's
/// preimage (as this run's test merge saw it) and postimage (the work tree's file), then removes the work tree.
/// </summary>
public sealed class ResolutionRecorder(GitCli store, string workspace, RecordedResolutions resolutions)
{
    public string WorkTreeOf(string tree) => Path.Combine(Path.GetFullPath(workspace), "resolve", tree);

    /// <summary>Returns what the maintainer should know, and whether a resolution was recorded.</summary>
    public async Task<(bool Recorded, string Message)> RecordAsync(MergeSide topic, MergeSide tree, IReadOnlyList<DescribedConflict> conflicts)
    {
        var workTree = WorkTreeOf(tree.Name);
        var again = $"./build.sh Merge --record-resolution {tree.Name}";
        if (conflicts.Count == 0) return (false, $"{tree.Name}: the merge has no conflict, there is nothing to record");
        if (!Directory.Exists(workTree))
        {
            await store.ReadAsync("worktree", "add", "--detach", "--quiet", workTree, tree.Head);
            // Exit code 1 is the expected conflict.
            var merge = await InWorkTree(workTree, "merge", "--no-ff", "--no-commit", "--no-edit", topic.Head);
            if (merge.ExitCode > 1) throw new GitException($"git merge in {workTree}: {GitCli.FirstLines(merge.Error)}");
            return (false, $"{tree.Name}: the conflicted merge of {topic.Name} is in {workTree}; resolve it there "
                + $"({string.Join(", ", conflicts.Select(c => c.Conflict.Path))}), then run {again} again to record the resolution");
        }

        var heads = await InWorkTree(workTree, "rev-parse", "HEAD", "MERGE_HEAD");
        if (heads.ExitCode != 0 || heads.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries) is not [var head, var mergeHead]
            || head != tree.Head || mergeHead != topic.Head)
            throw new InvalidOperationException($"{workTree} does not hold the merge of {topic.Name} {topic.Head[..12]} into {tree.Name} {tree.Head[..12]} "
                + $"(the trees moved, or the merge was committed); remove it with 'git --git-dir {store.GitDirectory} worktree remove --force {workTree}' and run {again} again");

        var recorded = new List<(string Path, byte[] Preimage, byte[]? Postimage)>();
        var unresolved = new List<string>();
        foreach (var conflict in conflicts)
        {
            var file = Path.Combine(workTree, conflict.Conflict.Path);
            var postimage = File.Exists(file) ? await File.ReadAllBytesAsync(file) : null;
            if (postimage is not null && ConflictMarkers.HasMarkers(System.Text.Encoding.UTF8.GetString(postimage))) unresolved.Add(conflict.Conflict.Path);
            recorded.Add((conflict.Conflict.Path, conflict.Preimage, postimage));
        }
        if (unresolved.Count > 0)
            return (false, $"{tree.Name}: {string.Join(", ", unresolved)} in {workTree} still hold conflict markers; resolve them and run {again} again");

        resolutions.Save(tree.Name, recorded);
        await store.ReadAsync("worktree", "remove", "--force", workTree);
        return (true, $"{tree.Name}: recorded the resolution of {recorded.Count} path(s) in {resolutions.FolderOf(tree.Name)}; commit it next to the config");
    }

    // The recording machine may have no git identity of its own; the work tree's merge must not depend on one.
    private static readonly Dictionary<string, string?> Identity = new()
    {
        ["GIT_AUTHOR_NAME"] = StoreObjects.IdentityName, ["GIT_AUTHOR_EMAIL"] = StoreObjects.IdentityEmail,
        ["GIT_COMMITTER_NAME"] = StoreObjects.IdentityName, ["GIT_COMMITTER_EMAIL"] = StoreObjects.IdentityEmail,
    };

    private Task<GitResult> InWorkTree(string workTree, params string[] arguments) =>
        store.ForWorkTree(workTree).RunAsync(arguments, environment: Identity);
}
