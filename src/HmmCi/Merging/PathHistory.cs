using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>The commits of each side since the merge base that touched a path, newest first.</summary>
public sealed record SideHistories(IReadOnlyDictionary<string, List<CommitRef>> Ours, IReadOnlyDictionary<string, List<CommitRef>> Theirs);

/// <summary>
/// The commits on each side of a merge since the merge base that touched given paths, as linux-next's conflict
/// mails cite them: one pathspec-limited <c>git log --left-right ours...theirs</c>, whatever the number of paths.
/// When both sides are short plain chains of commits, the same answer is read in-process from the store
/// (<see cref="StoreObjects.LinearHistories"/>), saving a git process per conflicted merge.
/// </summary>
public sealed class PathHistory(GitCli git, StoreObjects? objects = null)
{
    private const char RecordStart = '\x1e';
    private const char FieldSeparator = '\x1f';

    /// <summary>Longest side walked in-process; longer histories go to git log (commit-graph, no interop per commit).</summary>
    public const int InProcessMaxCommits = 1000;

    public async Task<SideHistories> TouchingAsync(string ours, string theirs, IReadOnlyCollection<string> paths, CancellationToken cancellation = default)
    {
        if (paths.Count == 0) return new SideHistories(new Dictionary<string, List<CommitRef>>(), new Dictionary<string, List<CommitRef>>());
        if (objects?.LinearHistories(ours, theirs, paths, InProcessMaxCommits) is { } linear) return linear;
        return await LogAsync(ours, theirs, paths, cancellation);
    }

    /// <summary>The answer from git log itself, whatever the shape of the history.</summary>
    public async Task<SideHistories> LogAsync(string ours, string theirs, IReadOnlyCollection<string> paths, CancellationToken cancellation = default)
    {
        if (paths.Count == 0) return new SideHistories(new Dictionary<string, List<CommitRef>>(), new Dictionary<string, List<CommitRef>>());
        // --stdin takes the range and then, after "--", the paths: a huge conflict never hits the argument limit.
        // --no-renames lists both names of a rename, so a commit that moved the path still counts.
        var input = $"{ours}...{theirs}\n--\n{string.Join('\n', paths.Select(p => ":(literal)" + p))}\n";
        // -z: names are NUL-ended and never C-quoted (core.quotePath=false still quotes '"', '\' and control characters).
        var log = await git.RunAsync(["log", "-z", "--left-right", "--no-merges", "--no-renames", "--name-only",
            $"--format={RecordStart}%m%H{FieldSeparator}%s", "--stdin"], input, cancellation: cancellation);
        if (!log.Success) throw new GitException($"git log {ours}...{theirs}: {GitCli.FirstLines(log.Error)}");
        return Parse(log.Output, paths);
    }

    /// <summary>
    /// Reads the -z log: each record is the side mark (&lt; ours, &gt; theirs), sha, subject, NUL, then the touched names,
    /// each NUL-ended (the first after a newline). A name counts for each asked path it is or lies under: a commit that
    /// made a directory where the other side has a file (a directory/file conflict) lists only the files inside it.
    /// </summary>
    internal static SideHistories Parse(string output, IReadOnlyCollection<string> paths)
    {
        var asked = paths.ToHashSet(StringComparer.Ordinal);
        var (ours, theirs) = (new Dictionary<string, List<CommitRef>>(StringComparer.Ordinal), new Dictionary<string, List<CommitRef>>(StringComparer.Ordinal));
        foreach (var record in output.Split(RecordStart, StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = record.Split('\0');
            var header = fields[0].Split(FieldSeparator, 2);
            if (header.Length != 2 || header[0].Length < 2 || header[0][0] is not ('<' or '>')) continue;
            var byPath = header[0][0] == '<' ? ours : theirs;
            var commit = new CommitRef(header[0][1..], header[1]);
            var names = fields.Skip(1).Select((f, i) => i == 0 && f.StartsWith('\n') ? f[1..] : f).Where(f => f.Length > 0);
            foreach (var path in names.SelectMany(n => AskedPathsOf(n, asked)).Distinct(StringComparer.Ordinal))
            {
                if (!byPath.TryGetValue(path, out var commits)) byPath[path] = commits = [];
                commits.Add(commit);
            }
        }
        return new SideHistories(ours, theirs);
    }

    /// <summary>The name itself and each directory above it, when asked for.</summary>
    private static IEnumerable<string> AskedPathsOf(string name, HashSet<string> asked)
    {
        if (asked.Contains(name)) yield return name;
        for (var slash = name.LastIndexOf('/'); slash > 0; slash = name.LastIndexOf('/', slash - 1))
            if (asked.Contains(name[..slash])) yield return name[..slash];
    }
}
