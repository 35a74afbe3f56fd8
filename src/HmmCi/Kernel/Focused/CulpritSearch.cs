using HmmCi.Kernel.Diagnostics;
using HmmCi.Merging;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Kernel.Focused;

/// <summary>
/// Names the two commits that collide in a new error: the topic commit, by bisecting over the topic's commits (the
/// topic up to commit k test-merged into the downstream head as the test merge is, <see cref="MergeRecipe"/>, that
/// one object compiled: about log2(N) compiles, none for a topic of one commit), and the downstream commit the failing
/// line comes from (blame of the merged commit), or none when the line is the topic's or older than the downstream
/// tree's changes.
/// </summary>
/// <param name="merges">Writes each step's merge commit; <paramref name="topic"/> is the topic's name, its side's label.</param>
/// <param name="where">What was merged into: a tree's name (whose recorded resolution applies), or the merge window; the culprit's tree when no downstream commit is named.</param>
/// <param name="trees">The trees a downstream commit is attributed to, the first whose head contains it: the test merge's
/// one tree, or the merge window's mainline and the trees that made it in.</param>
/// <param name="compile">Compiles one object on a commit and returns its errors and warnings.</param>
public sealed class CulpritSearch(GitCli git, MergeRecipe merges, string topic, FocusedCommits commits, string where, IReadOnlyList<TreeHead> trees,
    Func<string, string, CancellationToken, Task<BuildLog>> compile)
{
    IReadOnlyList<CommitRef>? _topicCommits;
    readonly Dictionary<(int, string), BuildLog> _compiled = [];

    /// <summary>Single-object compiles the search ran, for the bench.</summary>
    public int Compiles { get; private set; }

    public async Task<Culprit> FindAsync(BuildDiagnostic diagnostic, string obj, CancellationToken cancellation)
    {
        var topicCommits = _topicCommits ??= await TopicCommitsAsync(cancellation);
        // Merging all of the topic gives the error and none of it (the baseline) does not: find the first prefix that does.
        int good = -1, bad = topicCommits.Count - 1;
        while (bad - good > 1)
        {
            var middle = (good + bad) / 2;
            var produced = await CompileAsync(middle, obj, cancellation);
            if (produced is null) break;
            if (Has(produced, diagnostic)) bad = middle;
            else good = middle;
        }
        var treeCommit = await BlameAsync(diagnostic, cancellation);
        var tree = treeCommit is null ? where : await TreeOfAsync(treeCommit.Sha, cancellation);
        return new Culprit(topicCommits[bad], treeCommit, tree, Sentence(topicCommits[bad], treeCommit, tree));
    }

    /// <summary>linux-next's words: 'Caused by commit X ("...") interacting with commit Y ("...") from the rdma tree.'</summary>
    public static string Sentence(CommitRef topicCommit, CommitRef? treeCommit, string tree) => treeCommit is null
        ? $"Caused by commit {topicCommit}."
        : $"Caused by commit {topicCommit} interacting with commit {treeCommit} from the {tree} tree.";

    static bool Has(BuildLog log, BuildDiagnostic diagnostic) =>
        WarningDelta.New([diagnostic], diagnostic.Severity == "warning" ? log.Warnings : log.Errors).Count == 0;

    /// <summary>The object compiled with the topic up to <paramref name="index"/> merged; null when that merge conflicts.</summary>
    async Task<BuildLog?> CompileAsync(int index, string obj, CancellationToken cancellation)
    {
        if (_compiled.TryGetValue((index, obj), out var known)) return known;
        var upTo = _topicCommits![index].Sha;
        var merged = await merges.MergeAsync(new MergeRequest(new MergeSide(where, commits.TreeHead), new MergeSide(topic, upTo),
            $"hmmci: focused bisect, topic up to {upTo[..12]}"), cancellation);
        if (merged.Commit is not { } commit) return null;
        Compiles++;
        var log = await compile(commit, obj, cancellation);
        _compiled[(index, obj)] = log;
        return log;
    }

    async Task<IReadOnlyList<CommitRef>> TopicCommitsAsync(CancellationToken cancellation)
    {
        var log = await git.RunAsync(["log", "--reverse", "--format=%H %s", $"{commits.TopicBase}..{commits.TopicHead}"], cancellation: cancellation);
        if (!log.Success) throw new GitException($"git log {commits.TopicBase[..12]}..{commits.TopicHead[..12]}: {GitCli.FirstLines(log.Error)}");
        var list = log.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => new CommitRef(l[..40], l[41..])).ToList();
        return list.Count > 0 ? list : throw new InvalidOperationException("the topic has no commits over its base");
    }

    /// <summary>The downstream commit the failing line comes from: one the downstream tree has over its merge base with the topic.</summary>
    async Task<CommitRef?> BlameAsync(BuildDiagnostic diagnostic, CancellationToken cancellation)
    {
        if (diagnostic.Line <= 0) return null;
        var blame = await git.RunAsync(["blame", "--porcelain", "-L", $"{diagnostic.Line},{diagnostic.Line}", commits.Merged, "--", diagnostic.File], cancellation: cancellation);
        if (!blame.Success) return null;
        var sha = blame.Output.Split(' ', 2)[0];
        if (sha == commits.Merged) return null;
        var mergeBase = (await git.ReadAsync("merge-base", commits.TreeHead, commits.TopicHead)).Trim();
        if (!await IsAncestorAsync(sha, commits.TreeHead, cancellation) || await IsAncestorAsync(sha, mergeBase, cancellation)) return null;
        var subject = blame.Output.Split('\n').FirstOrDefault(l => l.StartsWith("summary ", StringComparison.Ordinal))?[8..] ?? "";
        return new CommitRef(sha, subject);
    }

    async Task<string> TreeOfAsync(string sha, CancellationToken cancellation)
    {
        foreach (var tree in trees)
            if (await IsAncestorAsync(sha, tree.Head, cancellation)) return tree.Name;
        return where;
    }

    async Task<bool> IsAncestorAsync(string commit, string of, CancellationToken cancellation) =>
        (await git.RunAsync(["merge-base", "--is-ancestor", commit, of], cancellation: cancellation)).ExitCode == 0;
}

/// <summary>A tree's name and the head that was merged.</summary>
public sealed record TreeHead(string Name, string Head);
