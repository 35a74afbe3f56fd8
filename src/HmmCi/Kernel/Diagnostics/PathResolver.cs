namespace HmmCi.Kernel.Diagnostics;

/// <summary>
/// Turns the paths a build printed into paths relative to the tree: relative to the compiler's directory (the O=
/// directory in Kbuild), absolute in the source tree, absolute in the build directory (generated headers), or ../ from
/// an O= directory inside the tree. Paths outside both (system headers) stay as printed.
/// </summary>
internal sealed class PathResolver(string treeRoot, string? buildDir)
{
    private readonly string _tree = Normalize(Path.GetFullPath(treeRoot));
    private string? _build = buildDir is null ? null : Normalize(Path.GetFullPath(buildDir));
    private readonly Stack<string> _directories = new();

    /// <summary>make's "Entering directory" lines: the first one that is not the tree (make -C) is Kbuild's O= directory.</summary>
    public void Directory(bool entering, string path)
    {
        if (!entering)
        {
            _directories.TryPop(out _);
            return;
        }
        var directory = Normalize(path);
        if (directory != _tree) _build ??= directory;
        _directories.Push(directory);
    }

    public string Relative(string printed)
    {
        var relative = !printed.StartsWith('/');
        var cwd = _directories.TryPeek(out var d) ? d : _build ?? _tree;
        var absolute = Normalize(relative ? cwd + "/" + printed : printed);
        string? root = null;
        foreach (var candidate in new[] { _build, _tree })
            if (candidate is not null && IsUnder(absolute, candidate) && (root is null || candidate.Length > root.Length))
                root = candidate;
        if (root is not null) return absolute.Length == root.Length ? "." : absolute[(root.Length + 1)..];
        // A relative path out of an unknown O= directory: what it names in the tree, as tuxmake strips it.
        if (relative) return Normalize("/" + printed).TrimStart('/');
        return printed;
    }

    private static bool IsUnder(string path, string root) =>
        path == root || (path.StartsWith(root, StringComparison.Ordinal) && (root == "/" || path[root.Length] == '/'));

    /// <summary>Resolves "." and ".." lexically (as the compiler's printed path means it), without touching the disk.</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..") { if (parts.Count > 0) parts.RemoveAt(parts.Count - 1); continue; }
            parts.Add(part);
        }
        return "/" + string.Join('/', parts);
    }
}
