using System.Globalization;
using HmmCi.Processes;

namespace HmmCi.Tests.Kernel.Kconfig;

/// <summary>
/// The Kconfig files (and the scripts/*.sh their $(shell) calls run) of Debian's linux-source-6.1, extracted once into
/// /tmp keyed by the tarball's size and mtime, so that every test run after the first reuses them.
/// </summary>
public static class Linux61Kconfig
{
    public const string Tarball = "/usr/src/linux-source-6.1.tar.xz";

    private static readonly Lazy<string> Root = new(Extract);

    /// <summary>The tree root (holding Kconfig); fails, never skips, without the tarball: CI installs linux-source-6.1.</summary>
    public static string TreeRoot => Root.Value;

    private static string Extract()
    {
        var tarball = new FileInfo(Tarball);
        if (!tarball.Exists)
            throw new InvalidOperationException($"{Tarball} is missing: apt-get install linux-source-6.1 (the Kconfig tests read its real Kconfig files)");
        var key = string.Create(CultureInfo.InvariantCulture, $"{tarball.Length}-{tarball.LastWriteTimeUtc.Ticks}");
        var cache = Path.Combine(Path.GetTempPath(), $"hmmci-kconfig-6.1-{key}");
        var tree = Path.Combine(cache, "linux-source-6.1");
        if (File.Exists(Path.Combine(tree, "Kconfig"))) return tree;

        // Extract beside the cache and rename: tests running in parallel never see half a tree.
        var partial = cache + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(partial);
        var tar = ProcessRunner.Default.RunAsync(new ProcessSpec("tar", ["-xJf", Tarball, "-C", partial, "--wildcards", "*/Kconfig*", "*/scripts/*.sh"])
        {
            Timeout = TimeSpan.FromMinutes(10),
        }).GetAwaiter().GetResult();
        if (!tar.Success) throw new InvalidOperationException($"tar -xJf {Tarball} failed: {tar.Error}");
        try { Directory.Move(partial, cache); }
        catch (IOException) when (File.Exists(Path.Combine(tree, "Kconfig"))) { Directory.Delete(partial, recursive: true); }
        return tree;
    }
}
