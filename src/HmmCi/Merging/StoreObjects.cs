using LibGit2Sharp;
using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>A file of a tree: its bytes and mode, or null when the path is not a blob there.</summary>
public sealed record TreeFile(byte[] Content, string Mode)
{
    public bool IsBinary => Array.IndexOf(Content, (byte)0, 0, Math.Min(Content.Length, 8000)) >= 0;
    public string Text => System.Text.Encoding.UTF8.GetString(Content);
}

/// <summary>
/// Reads and writes the store's objects in-process through LibGit2Sharp: merge commits, resolved trees, refs and
/// blobs. A git process per merge commit would cost as much as the merge itself (both a few ms on a kernel tree).
/// LibGit2Sharp is not thread-safe, and merges run concurrently, so every call takes a lock.
/// </summary>
public sealed class StoreObjects(string gitDirectory) : IDisposable
{
    /// <summary>The fixed identity of every commit HmmCi writes; the date is the newer parent's, so same inputs give the same commit.</summary>
    public const string IdentityName = "HmmCi";
    public const string IdentityEmail = "hmmci@localhost";

    private readonly Repository _repository = new(gitDirectory);
    private readonly Lock _lock = new();

    // Tree entries by (tree, name), read once per run: trees never change, and libgit2 does not cache trees over
    // 4 KiB (most kernel directories on a conflicted path), so each lookup would be a pack read and a parse, plus a
    // look into every borrowed object directory of a store that borrows local mirrors' objects.
    private readonly Dictionary<(ObjectId Tree, string Name), TreeEntry?> _entries = [];

    public string TreeOf(string commit)
    {
        lock (_lock) return Commit(commit).Tree.Sha;
    }

    /// <summary>The best common ancestor, or null for unrelated histories.</summary>
    public string? MergeBase(string a, string b)
    {
        lock (_lock) return _repository.ObjectDatabase.FindMergeBase(Commit(a), Commit(b))?.Sha;
    }

    public string WriteCommit(string tree, IReadOnlyList<string> parents, string message)
    {
        lock (_lock)
        {
            var parentCommits = parents.Select(Commit).ToList();
            var when = parentCommits.Max(p => p.Committer.When);
            var signature = new Signature(IdentityName, IdentityEmail, when);
            var treeObject = _repository.Lookup<Tree>(tree) ?? throw new InvalidOperationException($"tree {tree} is not in the store");
            return _repository.ObjectDatabase.CreateCommit(signature, signature, message.TrimEnd('\n') + "\n", treeObject, parentCommits, prettifyMessage: false).Sha;
        }
    }

    /// <summary>
    /// Whether <paramref name="head"/> changed any of the paths since its merge base with <paramref name="other"/>: a
    /// different entry at the path (content, mode, type, added or removed), or a directory above it that is gone (out
    /// of which git's directory rename detection could move the path). Only then can merging the two conflict there.
    /// Unrelated histories, or anything libgit2 cannot read, count as changed: git will say what it makes of them.
    /// </summary>
    public bool ChangedSinceMergeBase(string head, string other, IEnumerable<string> paths)
    {
        lock (_lock)
        {
            try
            {
                var commit = Commit(head);
                if (_repository.ObjectDatabase.FindMergeBase(commit, Commit(other)) is not { } mergeBase) return true;
                return paths.Any(path => ChangedOrMovedAway(commit.Tree, mergeBase.Tree, path));
            }
            catch (LibGit2SharpException)
            {
                return true; // merging them will say what is wrong
            }
        }
    }

    public void SetReference(string name, string sha)
    {
        lock (_lock)
        {
            // Same heads give the same merge commit, so a re-run usually finds the ref already right: reading it is
            // a tenth of rewriting it (lock file, write, rename).
            if (_repository.Refs[name] is DirectReference { TargetIdentifier: var current } && current == sha) return;
            _repository.Refs.Add(name, new ObjectId(sha), allowOverwrite: true);
        }
    }

    public void DeleteReference(string name)
    {
        lock (_lock)
            if (_repository.Refs[name] is not null) _repository.Refs.Remove(name);
    }

    public TreeFile? ReadFile(string tree, string path)
    {
        lock (_lock)
        {
            var entry = _repository.Lookup<Tree>(tree)?[path];
            if (entry?.Target is not Blob blob) return null;
            using var stream = blob.GetContentStream();
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return new TreeFile(memory.ToArray(), Convert.ToString((int)entry.Mode, 8));
        }
    }

    /// <summary>The tree with the given files replaced (a null content removes the path).</summary>
    public string WriteTree(string baseTree, IReadOnlyDictionary<string, TreeFile?> files)
    {
        lock (_lock)
        {
            var definition = TreeDefinition.From(_repository.Lookup<Tree>(baseTree));
            foreach (var (path, file) in files)
            {
                if (file is null) { definition.Remove(path); continue; }
                using var content = new MemoryStream(file.Content);
                definition.Add(path, _repository.ObjectDatabase.CreateBlob(content), (Mode)Convert.ToInt32(file.Mode, 8));
            }
            return _repository.ObjectDatabase.CreateTree(definition).Sha;
        }
    }

    /// <summary>
    /// What <c>git log --left-right --no-merges --no-renames --name-only ours...theirs -- paths</c> lists, read
    /// in-process when both sides since the merge base are plain chains of commits (no merge, no root commit, at
    /// most <paramref name="maxCommits"/> each) and every path is a file or absent: then git's history simplification
    /// has nothing to simplify and the answer is exactly the chain commits whose entry at a path differs from their
    /// parent's. Otherwise null, and the caller asks git itself.
    /// </summary>
    public SideHistories? LinearHistories(string ours, string theirs, IReadOnlyCollection<string> paths, int maxCommits)
    {
        lock (_lock)
        {
            try
            {
                var (a, b) = (Commit(ours), Commit(theirs));
                if (_repository.ObjectDatabase.FindMergeBase(a, b) is not { } mergeBase) return null;
                // Each commit's trees are compared twice, once with its child and once with its parent (and the merge
                // base's with both sides' oldest commits): the entry cache reads each once.
                return Chain(a, mergeBase, paths, maxCommits) is { } left && Chain(b, mergeBase, paths, maxCommits) is { } right
                    ? new SideHistories(left, right)
                    : null;
            }
            catch (LibGit2SharpException)
            {
                return null;
            }
        }
    }

    /// <summary>The commits from head down to (not including) the merge base that touched each path, newest first.</summary>
    private Dictionary<string, List<CommitRef>>? Chain(Commit head, Commit mergeBase, IReadOnlyCollection<string> paths, int maxCommits)
    {
        var byPath = new Dictionary<string, List<CommitRef>>(StringComparer.Ordinal);
        var commit = head;
        for (var count = 0; commit.Id != mergeBase.Id; count++)
        {
            if (count == maxCommits || commit.Parents.Count() != 1 || commit.Encoding is not (null or "" or "UTF-8" or "utf-8" or "utf8")) return null;
            var parent = commit.Parents.Single();
            foreach (var path in paths)
            {
                if (Changed(commit.Tree, parent.Tree, path) is not { } changed) return null;
                if (!changed) continue;
                if (!byPath.TryGetValue(path, out var commits)) byPath[path] = commits = [];
                commits.Add(new CommitRef(commit.Sha, Subject(commit.Message)));
            }
            commit = parent;
        }
        return byPath;
    }

    /// <summary>
    /// Whether the file at the path differs between two trees, descending only while the subtrees differ (as git's
    /// pathspec-limited tree diff does: most commits are decided at the root); null when the path is a directory.
    /// </summary>
    private bool? Changed(Tree now, Tree before, string path)
    {
        var (a, b) = ((Tree?)now, (Tree?)before);
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            if (a is not null && b is not null && a.Id == b.Id) return false;
            var (x, y) = (Entry(a, parts[i]), Entry(b, parts[i]));
            if (i == parts.Length - 1)
            {
                if (x?.TargetType == TreeEntryTargetType.Tree || y?.TargetType == TreeEntryTargetType.Tree) return null;
                return !(x?.Target.Id == y?.Target.Id && x?.Mode == y?.Mode);
            }
            if (x is null && y is null) return false;
            (a, b) = (x?.Target as Tree, y?.Target as Tree);
            if (a is null && b is null) return false; // no directory on either side: the path is on neither
        }
        return false;
    }

    /// <summary>
    /// Whether the entry at the path differs between two trees, or a directory above it is gone from
    /// <paramref name="now"/>; descends only while the subtrees differ, as <see cref="Changed"/> does.
    /// </summary>
    private bool ChangedOrMovedAway(Tree now, Tree before, string path)
    {
        var (a, b) = ((Tree?)now, (Tree?)before);
        var parts = path.Split('/');
        for (var i = 0; i < parts.Length; i++)
        {
            if (a is not null && b is not null && a.Id == b.Id) return false;
            var (x, y) = (Entry(a, parts[i]), Entry(b, parts[i]));
            if (i == parts.Length - 1) return !(x?.Target.Id == y?.Target.Id && x?.Mode == y?.Mode);
            if (x is null && y is not null) return true;
            (a, b) = (x?.Target as Tree, y?.Target as Tree);
            if (a is null && b is null) return false;
        }
        return false;
    }

    private TreeEntry? Entry(Tree? tree, string name)
    {
        if (tree is null) return null;
        if (!_entries.TryGetValue((tree.Id, name), out var entry)) _entries[(tree.Id, name)] = entry = tree[name];
        return entry;
    }

    /// <summary>git's %s: the first paragraph of the message, its lines joined with spaces.</summary>
    internal static string Subject(string message)
    {
        var lines = message.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').SkipWhile(string.IsNullOrWhiteSpace)
            .TakeWhile(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.TrimEnd());
        return string.Join(' ', lines);
    }

    private Commit Commit(string sha) =>
        _repository.Lookup<Commit>(sha) ?? throw new InvalidOperationException($"commit {sha} is not in the store");

    public void Dispose() => _repository.Dispose();
}
