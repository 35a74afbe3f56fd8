using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HmmCi.Config;
using HmmCi.Reports;

namespace HmmCi.Kernel;

/// <summary>Everything a build's result depends on; its hash is the result cache key. Computing it runs nothing.</summary>
public sealed record BuildInputs(string SourceTree, KernelBuildConfig Config, string Image, IReadOnlyList<string> MakeArguments, bool HarnessFixes)
{
    public string Key()
    {
        var text = new StringBuilder()
            .Append("recipe ").Append(BuildScript.RecipeVersion).Append('\n')
            .Append("tree ").Append(SourceTree).Append('\n')
            .Append("arch ").Append(BuildScript.Arch).Append('\n')
            .Append("base ").Append(Config.Base).Append('\n')
            .Append("base-file ").Append(Config.BaseFile is { } file ? Hash(File.ReadAllText(file)) : "-").Append('\n')
            .Append("boot ").Append(Config.Boot).Append('\n')
            .Append("image ").Append(Image).Append('\n')
            .Append("make ").Append(string.Join('\0', MakeArguments)).Append('\n')
            .Append("harness-fixes ").Append(HarnessFixes).Append('\n');
        foreach (var fragment in Config.Fragments) text.Append("fragment ").Append(Hash(fragment.Content)).Append('\n');
        return Hash(text.ToString());
    }

    static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>
/// Content-addressed results: one folder per key holding the build's record and its files (log, bzImage, headers,
/// hmm-tests), written whole before it is named, so a hit hands back exactly what the build produced.
/// Only results that the inputs decide are stored (pass, or a failure of the tree itself), never a timeout,
/// a full disk or an engine that did not start.
/// </summary>
public sealed class BuildCache(string root)
{
    const string RecordFile = "record.json";

    public string PathOf(string key) => Path.Combine(root, key);

    public BuildRecord? Find(string key)
    {
        var file = Path.Combine(PathOf(key), RecordFile);
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<BuildRecord>(File.ReadAllText(file), ReportJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Copies <paramref name="files"/> (the build's output folder) and the record under the key.</summary>
    public void Store(string key, BuildRecord record, string files)
    {
        var final = PathOf(key);
        if (Directory.Exists(final)) return;
        Directory.CreateDirectory(root);
        var partial = Path.Combine(root, $".{key}.{Guid.NewGuid():N}");
        CopyFolder(files, partial);
        File.WriteAllText(Path.Combine(partial, RecordFile), JsonSerializer.Serialize(record, ReportJson.Options));
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

    /// <summary>Copies a hit's files into a build's output folder.</summary>
    public void Restore(string key, string files)
    {
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        CopyFolder(PathOf(key), files);
        File.Delete(Path.Combine(files, RecordFile));
    }

    internal static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
        foreach (var sub in Directory.GetDirectories(from)) CopyFolder(sub, Path.Combine(to, Path.GetFileName(sub)));
    }
}
