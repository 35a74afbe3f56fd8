using LibGit2Sharp;

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

    public void SetReference(string name, string sha)
    {
        lock (_lock) _repository.Refs.Add(name, new ObjectId(sha), allowOverwrite: true);
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

    private Commit Commit(string sha) =>
        _repository.Lookup<Commit>(sha) ?? throw new InvalidOperationException($"commit {sha} is not in the store");

    public void Dispose() => _repository.Dispose();
}
