using HmmCi.Processes;

namespace HmmCi.Tests.Kernel;

/// <summary>
/// Debian's Linux 6.1 source (/usr/src/linux-source-6.1.tar.xz, apt package linux-source-6.1) as a git repository,
/// extracted and committed once per tarball into a cache folder that later test runs reuse (a minute or two the
/// first time). A missing tarball fails the test with the package to install.
/// </summary>
public static class LinuxSource
{
    const string Tarball = "/usr/src/linux-source-6.1.tar.xz";

    static readonly SemaphoreSlim Once = new(1, 1);

    public static string CacheRoot => Environment.GetEnvironmentVariable("HMMCI_TEST_CACHE") ?? "/var/tmp/hmmci-test-cache";

    /// <summary>The tree's folder; its .git holds one commit of the whole tree, tagged v6.1.</summary>
    public static async Task<string> RepositoryAsync()
    {
        if (!File.Exists(Tarball)) throw new InvalidOperationException($"{Tarball} is missing (apt-get install linux-source-6.1)");
        var tree = Path.Combine(CacheRoot, $"linux-source-6.1-{new FileInfo(Tarball).Length}");
        await Once.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(tree, ".git", "hmmci-complete"))) return tree;
            if (!File.Exists(Path.Combine(tree, "Makefile")))
            {
                var partial = tree + ".partial";
                if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
                Directory.CreateDirectory(partial);
                await Run(partial, "tar", "-xJf", Tarball, "--strip-components=1");
                Directory.Move(partial, tree);
            }
            if (Directory.Exists(Path.Combine(tree, ".git"))) Directory.Delete(Path.Combine(tree, ".git"), recursive: true);
            await Run(tree, "git", "init", "-q", "-b", "master");
            await Run(tree, "git", "config", "gc.auto", "0");
            // Debian's top-level .gitignore ignores everything but debian/: the tarball's files are wanted whole.
            await Run(tree, "git", "add", "--force", "--all");
            await Git(tree, "commit", "-q", "-m", "Linux 6.1");
            await Run(tree, "git", "tag", "v6.1");
            File.WriteAllText(Path.Combine(tree, ".git", "hmmci-complete"), "");
            return tree;
        }
        finally
        {
            Once.Release();
        }
    }

    /// <summary>A commit on v6.1 replacing one file, made without touching the cached checkout (same SHA every time).</summary>
    public static async Task<string> CommitAsync(string tree, string message, string path, string content)
    {
        var index = Path.Combine(Path.GetTempPath(), $"hmmci-index-{Guid.NewGuid():N}");
        try
        {
            var env = new Dictionary<string, string?> { ["GIT_INDEX_FILE"] = index };
            var blob = (await Run(tree, "git", env, content, "hash-object", "-w", "--stdin")).Trim();
            await Run(tree, "git", env, null, "read-tree", "v6.1");
            await Run(tree, "git", env, null, "update-index", "--cacheinfo", $"100644,{blob},{path}");
            var written = (await Run(tree, "git", env, null, "write-tree")).Trim();
            var commit = (await Git(tree, "commit-tree", written, "-p", "v6.1", "-m", message)).Trim();
            await Run(tree, "git", "update-ref", $"refs/hmmci-test/{commit}", commit);
            return commit;
        }
        finally
        {
            File.Delete(index);
        }
    }

    static Task<string> Git(string tree, params string[] args) => Run(tree, "git", new Dictionary<string, string?>
    {
        ["GIT_AUTHOR_NAME"] = "Test Runner", ["GIT_AUTHOR_EMAIL"] = "runner@example.org", ["GIT_AUTHOR_DATE"] = "@1700000000 +0000",
        ["GIT_COMMITTER_NAME"] = "Test Runner", ["GIT_COMMITTER_EMAIL"] = "runner@example.org", ["GIT_COMMITTER_DATE"] = "@1700000000 +0000",
    }, null, args);

    static Task<string> Run(string directory, string program, params string[] args) => Run(directory, program, new Dictionary<string, string?>(), null, args);

    static async Task<string> Run(string directory, string program, Dictionary<string, string?> environment, string? input, params string[] args)
    {
        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec(program, args) { WorkingDirectory = directory, Environment = environment, Input = input });
        return result.Success ? result.Output : throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {result.Error}");
    }
}
