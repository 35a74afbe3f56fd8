using System.Diagnostics;

namespace HmmCi.Tests.Fixtures;

/// <summary>
/// A real git repository with a work tree, driven through the real git CLI, for building test histories.
/// Commits get fixed identities and increasing dates, so histories are reproducible.
/// </summary>
public sealed class GitRepository
{
    private int _tick;

    public GitRepository(string path, string initialBranch = "master")
    {
        Path = path;
        Directory.CreateDirectory(path);
        Git("init", "-q", "-b", initialBranch);
    }

    public string Path { get; }

    public string Head => Git("rev-parse", "HEAD").Trim();

    public string Git(params string[] args) => Run(Path, args, author: null);

    /// <summary>Writes (or, for a null content, deletes) files, then commits everything as the given author.</summary>
    public string Commit(string message, IReadOnlyDictionary<string, string?> files, string author = "Alice Author <alice@example.org>", string? committer = null)
    {
        foreach (var (file, content) in files)
        {
            var full = System.IO.Path.Combine(Path, file);
            if (content is null) File.Delete(full);
            else
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
                File.WriteAllText(full, content);
            }
        }
        Git("add", "-A");
        Run(Path, ["commit", "-q", "--allow-empty", "-F", "-"], author: author, committer: committer ?? author, input: message);
        return Head;
    }

    public string Commit(string message, string file, string content, string author = "Alice Author <alice@example.org>") =>
        Commit(message, new Dictionary<string, string?> { [file] = content }, author);

    public void Checkout(string branch, bool create = false, string? startPoint = null)
    {
        var args = new List<string> { "checkout", "-q" };
        if (create) args.Add("-b");
        args.Add(branch);
        if (startPoint is not null) args.Add(startPoint);
        Git([.. args]);
    }

    /// <summary>A bare copy, as a downstream maintainer's published tree would be.</summary>
    public string CloneBare(string destination)
    {
        Run(System.IO.Path.GetDirectoryName(destination)!, ["clone", "-q", "--bare", Path, destination], author: null);
        return destination;
    }

    private string Run(string directory, string[] args, string? author, string? committer = null, string? input = null)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var a in args) start.ArgumentList.Add(a);
        var date = $"@{1_700_000_000 + 60 * _tick++} +0000";
        var (authorName, authorEmail) = Split(author ?? "Test Runner <runner@example.org>");
        var (committerName, committerEmail) = Split(committer ?? author ?? "Test Runner <runner@example.org>");
        start.Environment["GIT_AUTHOR_NAME"] = authorName;
        start.Environment["GIT_AUTHOR_EMAIL"] = authorEmail;
        start.Environment["GIT_COMMITTER_NAME"] = committerName;
        start.Environment["GIT_COMMITTER_EMAIL"] = committerEmail;
        start.Environment["GIT_AUTHOR_DATE"] = date;
        start.Environment["GIT_COMMITTER_DATE"] = date;
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start)!;
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {stderr}");
        return stdout.Result;
    }

    private static (string Name, string Email) Split(string identity)
    {
        var lt = identity.IndexOf('<');
        return (identity[..lt].Trim(), identity[(lt + 1)..].TrimEnd('>', ' '));
    }
}
