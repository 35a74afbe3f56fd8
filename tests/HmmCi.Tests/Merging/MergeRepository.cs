using HmmCi.Merging;
using HmmCi.Tests.Fixtures;
using HmmCi.Trees;

namespace HmmCi.Tests.Merging;

/// <summary>
/// A real repository with a "tree" branch and a "topic" branch grown from a common base, and HmmCi's merge
/// classes pointed at its object database (the tests' stand-in for the store).
/// </summary>
public sealed class MergeRepository : IDisposable
{
    public MergeRepository()
    {
        Repo = new GitRepository(Directory.Combine("repo"));
        Git = new GitCli(System.IO.Path.Combine(Repo.Path, ".git"));
        Objects = new StoreObjects(Git.GitDirectory);
        History = new PathHistory(Git, Objects);
        Describer = new ConflictDescriber(Objects, History);
        Resolutions = new RecordedResolutions(Directory.Combine("resolutions"), Git);
    }

    public TempDirectory Directory { get; } = new();
    public GitRepository Repo { get; }
    public GitCli Git { get; }
    public StoreObjects Objects { get; }
    public PathHistory History { get; }
    public ConflictDescriber Describer { get; }
    public RecordedResolutions Resolutions { get; }

    public MergeTree MergeTree => new(Git);
    public TestMerge TestMerge => new(MergeTree, Objects, Describer, Resolutions);

    public string Base(IReadOnlyDictionary<string, string?> files) => Repo.Commit("base", files);

    /// <summary>Commits on a new branch from <paramref name="from"/>, which is checked out again afterwards.</summary>
    public string OnBranch(string branch, string from, string message, IReadOnlyDictionary<string, string?> files, string author = "Alice Author <alice@example.org>")
    {
        Repo.Checkout(branch, create: true, from);
        var head = Repo.Commit(message, files, author);
        return head;
    }

    public string Rev(string rev) => Repo.Git("rev-parse", rev).Trim();

    /// <summary>The oracle: what git merge-tree prints for the same two commits (tree id, conflicted paths).</summary>
    public (string Tree, IReadOnlySet<string> ConflictedPaths, bool Clean) Oracle(string ours, string theirs)
    {
        string output;
        var clean = true;
        try
        {
            output = Repo.Git("merge-tree", "--write-tree", "--name-only", "-z", ours, theirs);
        }
        catch (InvalidOperationException)
        {
            clean = false;
            output = RunAllowingConflict(ours, theirs);
        }
        var fields = output.Split('\0');
        var paths = fields.Skip(1).TakeWhile(f => f.Length > 0).ToHashSet(StringComparer.Ordinal);
        return (fields[0], paths, clean);
    }

    private string RunAllowingConflict(string ours, string theirs)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", ["-C", Repo.Path, "merge-tree", "--write-tree", "--name-only", "-z", ours, theirs]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(1, process.ExitCode);
        return output;
    }

    public void Dispose()
    {
        Objects.Dispose();
        Directory.Dispose();
    }
}
