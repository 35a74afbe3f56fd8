using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>
/// The commits on one side of a merge since the merge base that touched given paths, as linux-next's conflict
/// mails cite them. One pathspec-limited <c>git log</c> per side, whatever the number of paths.
/// </summary>
public sealed class PathHistory(GitCli git)
{
    private const char RecordStart = '\x1e';
    private const char FieldSeparator = '\x1f';

    /// <summary>Per path, newest first: the commits reachable from <paramref name="side"/> but not from <paramref name="other"/>.</summary>
    public async Task<IReadOnlyDictionary<string, List<CommitRef>>> TouchingAsync(string side, string other, IReadOnlyCollection<string> paths)
    {
        if (paths.Count == 0) return new Dictionary<string, List<CommitRef>>();
        // --stdin takes the range and then, after "--", the paths: a huge conflict never hits the argument limit.
        // --no-renames lists both names of a rename, so a commit that moved the path still counts.
        var input = $"{side}\n^{other}\n--\n{string.Join('\n', paths.Select(p => ":(literal)" + p))}\n";
        var log = await git.RunAsync(["-c", "core.quotePath=false", "log", "--no-merges", "--no-renames", "--name-only",
            $"--format={RecordStart}%H{FieldSeparator}%s", "--stdin"], input);
        if (!log.Success) throw new GitException($"git log {side} ^{other}: {GitCli.FirstLines(log.Error)}");
        return Parse(log.Output);
    }

    internal static Dictionary<string, List<CommitRef>> Parse(string output)
    {
        var byPath = new Dictionary<string, List<CommitRef>>(StringComparer.Ordinal);
        foreach (var record in output.Split(RecordStart, StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = record.Split('\n');
            var header = lines[0].Split(FieldSeparator, 2);
            if (header.Length != 2) continue;
            var commit = new CommitRef(header[0], header[1]);
            foreach (var path in lines.Skip(1).Where(l => l.Length > 0))
            {
                if (!byPath.TryGetValue(path, out var commits)) byPath[path] = commits = [];
                commits.Add(commit);
            }
        }
        return byPath;
    }
}
