using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HmmCi.Config;
using HmmCi.Kernel.Runtimes;
using HmmCi.Reports;

namespace HmmCi.Kernel;

/// <summary>
/// Everything a build's result depends on; its hash is the result cache key. Computing it builds nothing: the key
/// holds the script the build runs itself (<see cref="Recipe"/>), so a changed recipe is a miss without a version to bump.
/// </summary>
/// <param name="HmmTests">hmm-tests.c in the selftest copy (<see cref="SelftestSources.InCopy"/>), null when not built.</param>
/// <param name="Harness">The kselftest harness as the copy has it, fixes applied; null when not built.</param>
public sealed record BuildInputs(string SourceTree, KernelBuildConfig Config, string Image, string? HmmTests, string? Harness)
{
    /// <summary>
    /// The script as <see cref="BuildScript"/> renders it, for the fixed container paths and -j1 on every runtime:
    /// where the folders are and how many jobs make runs change nothing in the result.
    /// </summary>
    public string Recipe => BuildScript.Render(Config, DockerRuntime.Mounts, jobs: 1, HmmTests);

    public string Key()
    {
        var text = new StringBuilder()
            .Append("tree ").Append(SourceTree).Append('\n')
            .Append("image ").Append(Image).Append('\n')
            .Append("base-file ").Append(Config.BaseFile is { } file ? Hash(File.ReadAllText(file)) : "-").Append('\n')
            .Append("harness ").Append(Harness is null ? "-" : Hash(Harness)).Append('\n');
        foreach (var (name, content) in BuildScript.Fragments(Config)) text.Append("fragment ").Append(name).Append(' ').Append(Hash(content)).Append('\n');
        text.Append("recipe\n").Append(Recipe);
        return Hash(text.ToString());
    }

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// What one build produced, as the result cache stores it next to its files (build.log, and after a script that
/// ran to its end bzImage, headers, hmm-tests): its exit code and what was read from the checkout while it ran.
/// Never what its log was taken to say: a hit is judged again (<see cref="BuildJudge"/>), as a fresh build is.
/// </summary>
public sealed record BuildProduct
{
    public required int ExitCode { get; init; }
    public long DurationMs { get; init; }
    public string? Runtime { get; init; }
    public string? Image { get; init; }
    public string? Reproducer { get; init; }
    /// <summary>Options a fragment asked for that the .config lacks, checked against the checkout's Kconfig files.</summary>
    public List<BuildDiagnostic> Kconfig { get; init; } = [];
    /// <summary>Why the fragments' options could not be checked (HmmCi could not read the tree's Kconfig files).</summary>
    public string? KconfigUnread { get; init; }
    /// <summary>hmm-tests.c in the selftest copy; null when the tree has none (or the config does not boot).</summary>
    public string? HmmTests { get; init; }
    public List<string> HarnessFixes { get; init; } = [];
}

/// <summary>
/// Content-addressed results: one folder per key holding what the build produced (<see cref="BuildProduct"/>, or the
/// focused compile's makes) and its files (logs, bzImage, headers, hmm-tests), written whole before it is named, so
/// a hit hands back exactly what the build produced, for today's judge to read. Only results that the inputs decide
/// are stored (pass, or a failure of the tree itself), never a timeout, a full disk or an engine that did not start.
/// </summary>
public sealed class BuildCache(string root)
{
    const string ProductFile = "product.json";

    public string PathOf(string key) => Path.Combine(root, key);

    public T? Find<T>(string key) where T : class
    {
        var file = Path.Combine(PathOf(key), ProductFile);
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(file), ReportJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Copies <paramref name="files"/> (the build's output folder) and what the build produced under the key.</summary>
    public void Store<T>(string key, T product, string files)
    {
        var final = PathOf(key);
        if (Directory.Exists(final)) return;
        Directory.CreateDirectory(root);
        var partial = Path.Combine(root, $".{key}.{Guid.NewGuid():N}");
        CopyFolder(files, partial);
        File.WriteAllText(Path.Combine(partial, ProductFile), JsonSerializer.Serialize(product, ReportJson.Options));
        try
        {
            Directory.Move(partial, final);
        }
        catch (IOException)
        {
            // Another run stored the same key first: same inputs, same result.
            Directory.Delete(partial, recursive: true);
        }
    }

    /// <summary>Drops a result today's judge does not take as the inputs' alone, so that the build that replaces it is stored.</summary>
    public void Remove(string key)
    {
        var stale = Path.Combine(root, $".{key}.{Guid.NewGuid():N}");
        try
        {
            // Renamed first: a run that looks the key up meanwhile misses it rather than reading it half deleted.
            Directory.Move(PathOf(key), stale);
        }
        catch (IOException)
        {
            return;
        }
        Directory.Delete(stale, recursive: true);
    }

    /// <summary>Copies a hit's files into a build's output folder.</summary>
    public void Restore(string key, string files)
    {
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        CopyFolder(PathOf(key), files);
        File.Delete(Path.Combine(files, ProductFile));
    }

    internal static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        foreach (var sub in Directory.GetDirectories(from)) CopyFolder(sub, Path.Combine(to, Path.GetFileName(sub)));
    }
}
