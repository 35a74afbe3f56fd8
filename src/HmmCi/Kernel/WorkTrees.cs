using HmmCi.Processes;
using HmmCi.Trees;

namespace HmmCi.Kernel;

/// <summary>
/// Checkouts made from the store with <c>git worktree</c> and moved from commit to commit: git rewrites only the
/// files that differ and keeps the timestamps of the others, so make, in an O= folder, recompiles only what the
/// move changed.
/// </summary>
public sealed class WorkTrees(IProcessRunner runner, string gitDirectory, string root)
{
    readonly GitCli _store = new(gitDirectory, runner);

    public string PathOf(string name) => Path.Combine(root, name);

    /// <summary>Whether the named checkout was made already (moving it rewrites only what differs).</summary>
    public bool Exists(string name) => File.Exists(Path.Combine(PathOf(name), ".git"));

    /// <summary>Moves the named checkout to <paramref name="commit"/> (making it the first time) and returns its path.</summary>
    public async Task<string> CheckoutAsync(string name, string commit, CancellationToken cancellation)
    {
        var path = PathOf(name);
        if (!Exists(name))
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
            Directory.CreateDirectory(root);
            await Git(["worktree", "prune"], null, cancellation);
            await Git(["worktree", "add", "--detach", "--force", "--quiet", path, commit], null, cancellation);
            return path;
        }
        await Git(["checkout", "--detach", "--force", "--quiet", commit], path, cancellation);
        // Nothing writes into the tree (builds are O=, the tree is mounted read-only); this drops what a hand did.
        await Git(["clean", "-ffdxq"], path, cancellation);
        return path;
    }

    async Task Git(IReadOnlyList<string> arguments, string? workTree, CancellationToken cancellation)
    {
        var git = workTree is null ? _store : _store.ForWorkTree(workTree);
        var result = await git.RunAsync(arguments, cancellation: cancellation, timeout: TimeSpan.FromMinutes(20));
        if (!result.Success)
            throw new InvalidOperationException($"git {string.Join(' ', arguments)}: {(result.TimedOut ? "timed out" : result.Error.Trim())}");
    }
}
