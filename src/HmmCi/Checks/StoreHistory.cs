using HmmCi.Trees;

namespace HmmCi.Checks;

/// <summary>
/// The git processes the checks run against the object store. Each reads a whole range in one process;
/// per-commit work happens in memory over the parsed output (<see cref="GitOutput"/>).
/// </summary>
public sealed class StoreHistory(GitCli git)
{
    public GitCli Git { get; } = git;

    /// <summary>
    /// Every commit in the given revisions (e.g. <c>a b --not c</c>), parents before children, with people also
    /// named through the .mailmap of <paramref name="mailmapFrom"/> (none when that commit has no .mailmap).
    /// </summary>
    public async Task<IReadOnlyList<CommitInfo>> LogAsync(IEnumerable<string> revisions, string? mailmapFrom = null) =>
        GitOutput.ParseLog(await Git.ReadAsync([.. mailmapFrom is null ? [] : new[] { "-c", $"mailmap.blob={mailmapFrom}:.mailmap" },
            "log", "-z", "--topo-order", "--reverse", $"--format={GitOutput.LogFormat}", .. revisions, "--"]));

    /// <summary>Which of <paramref name="commits"/> none of <paramref name="heads"/> reaches, from one <c>git rev-list</c>.</summary>
    public async Task<IReadOnlySet<string>> UnreachableAsync(IReadOnlyCollection<string> commits, IEnumerable<string> heads)
    {
        if (commits.Count == 0) return new HashSet<string>();
        var listed = (await Git.ReadAsync(["rev-list", .. commits, "--not", .. heads, "--"]))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        return commits.Where(listed.Contains).ToHashSet();
    }

    /// <summary>Patch-ids of every non-merge commit in the given revisions, from one <c>git log -p | git patch-id --stable</c>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> PatchIdsAsync(IEnumerable<string> revisions)
    {
        var result = await Git.PipeAsync(
            ["log", "-p", "--no-merges", "--no-color", "--no-ext-diff", "--format=commit %H", .. revisions, "--"],
            ["patch-id", "--stable"]);
        return result.Success
            ? GitOutput.ParsePatchIds(result.Output)
            : throw new GitException($"git log -p | git patch-id --stable: {GitCli.FirstLines(result.Error)}");
    }

    /// <summary>The paths each non-merge commit in the revisions touches (a rename touches both names).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> FilesAsync(IEnumerable<string> revisions) =>
        GitOutput.ParseNameOnly(await Git.ReadAsync(["log", "-z", "--no-merges", "--no-renames", "--name-only", $"--format={GitOutput.NameOnlyFormat}", .. revisions, "--"]));

    /// <summary>Commit → names of the tags (mainline's, fetched into refs/tags) that point at it.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> TagsAsync() =>
        GitOutput.ParseTags(await Git.ReadAsync("for-each-ref", "refs/tags", "--format=%(objectname) %(*objectname) %(refname:short)"));

    /// <summary>Whether <paramref name="ancestor"/> is reachable from <paramref name="descendant"/>; false when either is unknown.</summary>
    public async Task<bool> IsAncestorAsync(string ancestor, string descendant) =>
        (await Git.RunAsync(["merge-base", "--is-ancestor", ancestor, descendant])).ExitCode == 0;

    /// <summary>Whether the two commits share any history (<c>git merge-base</c> finds a common ancestor).</summary>
    public async Task<bool> HaveCommonHistoryAsync(string a, string b) =>
        (await Git.RunAsync(["merge-base", a, b])).ExitCode == 0;

    public async Task<int> CountAsync(params string[] revisions) =>
        int.Parse((await Git.ReadAsync(["rev-list", "--count", .. revisions, "--"])).Trim());

    /// <summary>The nearest mainline tag (any form) below a commit and how far above it the commit is, e.g. ("v6.1-rc3", 42).</summary>
    public async Task<(string Tag, int Distance)?> DescribeAsync(string commit)
    {
        var result = await Git.RunAsync(["describe", "--tags", "--long", commit]);
        if (!result.Success) return null;
        var text = result.Output.Trim();
        var g = text.LastIndexOf("-g", StringComparison.Ordinal);
        var dash = g < 0 ? -1 : text.LastIndexOf('-', g - 1);
        return dash < 0 ? null : (text[..dash], int.Parse(text[(dash + 1)..g]));
    }

    /// <summary>What each name resolves to, from one <c>git cat-file --batch-check</c>: (full sha, type), or null when missing or ambiguous.</summary>
    public async Task<IReadOnlyDictionary<string, ResolvedObject>> ResolveAsync(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0) return new Dictionary<string, ResolvedObject>();
        var result = await Git.RunAsync(["cat-file", "--batch-check"], input: string.Join("\n", names) + "\n");
        if (!result.Success) throw new GitException($"git cat-file --batch-check: {GitCli.FirstLines(result.Error)}");
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return names.Zip(lines).ToDictionary(p => p.First, p => ResolvedObject.Parse(p.Second));
    }

    /// <summary>Subjects of the given commits, in one process.</summary>
    public async Task<IReadOnlyDictionary<string, string>> SubjectsAsync(IReadOnlyCollection<string> commits)
    {
        if (commits.Count == 0) return new Dictionary<string, string>();
        var output = await Git.ReadAsync(["log", "--no-walk=unsorted", "-z", "--format=%H%x00%s", .. commits, "--"]);
        var fields = output.Split('\0');
        var subjects = new Dictionary<string, string>();
        for (var i = 0; i + 1 < fields.Length; i += 2) subjects[fields[i].Trim()] = fields[i + 1];
        return subjects;
    }

    /// <summary>A file's text at a commit, or null when the commit has no such file.</summary>
    public async Task<string?> ShowAsync(string commit, string path)
    {
        var result = await Git.RunAsync(["show", $"{commit}:{path}"]);
        return result.Success ? result.Output : null;
    }

    /// <summary>Every directory in a commit's tree.</summary>
    public async Task<IReadOnlySet<string>> DirectoriesAsync(string commit) =>
        (await Git.ReadAsync(["ls-tree", "-z", "-r", "-d", "--name-only", commit]))
            .Split('\0', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    public async Task<string?> ReadRefAsync(string name)
    {
        var result = await Git.RunAsync(["rev-parse", "--verify", "--quiet", $"{name}^{{commit}}"]);
        return result.Success ? result.Output.Trim() : null;
    }

    public Task UpdateRefAsync(string name, string sha) => Git.ReadAsync("update-ref", name, sha);

    public async Task<bool> HasCommitAsync(string sha) =>
        (await Git.RunAsync(["cat-file", "-e", $"{sha}^{{commit}}"])).ExitCode == 0;
}

/// <summary>One line of <c>git cat-file --batch-check</c>.</summary>
public sealed record ResolvedObject(string? Sha, string Type)
{
    public const string Missing = "missing";
    public const string Ambiguous = "ambiguous";

    public static ResolvedObject Parse(string line)
    {
        var parts = line.Trim().Split(' ');
        return parts.Length >= 3 ? new ResolvedObject(parts[0], parts[1])
            : new ResolvedObject(null, parts.Length == 2 && parts[1] == Ambiguous ? Ambiguous : Missing);
    }
}
