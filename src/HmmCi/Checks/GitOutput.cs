using HmmCi.Trees;

namespace HmmCi.Checks;

/// <summary>
/// A commit as the checks see it: author and committer as recorded and as .mailmap names them
/// (<c>%aN &lt;%aE&gt;</c>), the author date in seconds. <see cref="Message"/> is parsed on first use.
/// </summary>
public sealed record CommitInfo(string Sha, IReadOnlyList<string> Parents, Person Author, Person Committer, string RawMessage)
{
    public Person MailmapAuthor { get; init; } = Author;
    public Person MailmapCommitter { get; init; } = Committer;
    public long AuthorDate { get; init; }

    private CommitMessage? _message;
    public CommitMessage Message => _message ??= CommitMessage.Parse(RawMessage);
    public string Subject => Message.Subject;
    public bool IsMerge => Parents.Count > 1;
    /// <summary>sha12 ("subject"), as maintainers cite commits.</summary>
    public override string ToString() => Cite(Sha, Subject);

    public static string Cite(string sha, string subject) => new CommitRef(sha, subject).ToString();
}

/// <summary>Pure parsers for the git output the checks read; the processes that produce it are in <see cref="StoreHistory"/>.</summary>
public static class GitOutput
{
    /// <summary>The <c>git log -z</c> format <see cref="ParseLog"/> reads: twelve NUL-separated fields per commit.</summary>
    public const string LogFormat = "%H%x00%P%x00%an%x00%ae%x00%cn%x00%ce%x00%aN%x00%aE%x00%cN%x00%cE%x00%at%x00%B";

    private const int LogFields = 12;

    public static IReadOnlyList<CommitInfo> ParseLog(string output)
    {
        // -z separates commits with NUL, and the format separates fields with NUL; messages cannot hold NUL.
        var fields = output.Split('\0');
        var commits = new List<CommitInfo>();
        for (var i = 0; i + LogFields - 1 < fields.Length; i += LogFields)
            commits.Add(new CommitInfo(fields[i].Trim(), fields[i + 1].Split(' ', StringSplitOptions.RemoveEmptyEntries),
                new Person(fields[i + 2], fields[i + 3]), new Person(fields[i + 4], fields[i + 5]), fields[i + 11])
            {
                MailmapAuthor = new Person(fields[i + 6], fields[i + 7]),
                MailmapCommitter = new Person(fields[i + 8], fields[i + 9]),
                AuthorDate = long.TryParse(fields[i + 10], out var date) ? date : 0,
            });
        return commits;
    }

    /// <summary><c>git patch-id --stable</c> output (<c>&lt;patch-id&gt; &lt;commit&gt;</c> per line) as commit → patch-id.</summary>
    public static IReadOnlyDictionary<string, string> ParsePatchIds(string output)
    {
        var ids = new Dictionary<string, string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2) ids[parts[1]] = parts[0];
        }
        return ids;
    }

    /// <summary>The <c>git log -z --name-only</c> format <see cref="ParseNameOnly"/> reads: a record mark, then the commit.</summary>
    public const string NameOnlyFormat = "%x1e%H";

    /// <summary>
    /// <c>git log -z --no-renames --name-only --format=%x1e%H</c> output as commit → touched paths. With -z git
    /// names paths as they are (without it, even core.quotePath=false C-quotes '"', '\' and control characters).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ParseNameOnly(string output)
    {
        var files = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var record in output.Split('\x1e', StringSplitOptions.RemoveEmptyEntries))
        {
            // "<sha>\0\n<path>\0<path>\0\0": the newline only separates the header from the names.
            var fields = record.Split('\0');
            files[fields[0].Trim()] = fields.Skip(1).Select(f => f.TrimStart('\n')).Where(f => f.Length > 0).ToList();
        }
        return files;
    }

    /// <summary><c>git for-each-ref refs/tags --format='%(objectname) %(*objectname) %(refname:short)'</c> as commit → tag names.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ParseTags(string output)
    {
        var tags = new Dictionary<string, List<string>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            if (parts.Length != 3) continue;
            var commit = parts[1].Length > 0 ? parts[1] : parts[0]; // annotated tags peel to *objectname
            if (!tags.TryGetValue(commit, out var names)) tags[commit] = names = [];
            names.Add(parts[2]);
        }
        return tags.ToDictionary(t => t.Key, t => (IReadOnlyList<string>)t.Value);
    }
}
