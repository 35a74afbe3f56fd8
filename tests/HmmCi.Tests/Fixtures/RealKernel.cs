using HmmCi.Processes;

namespace HmmCi.Tests.Fixtures;

/// <summary>
/// The real Linux 6.1 from Debian's linux-source-6.1 tarball, built once per machine into a cache folder under /tmp
/// keyed by the tarball's size and mtime (real-kernel.sh next to this file): tinyconfig + hmm-min.config bzImage, its
/// headers and a static hmm-tests with the kselftest harness fix (and one without it). Every test reuses the build;
/// the first one waits for it (about 4 minutes on 2 cores, plus 75 s of extraction).
/// </summary>
public static class RealKernel
{
    public const string Tarball = "/usr/src/linux-source-6.1.tar.xz";
    /// <summary>Bumped when real-kernel.sh changes what it builds.</summary>
    const string Recipe = "v1";

    static readonly Lazy<Task<string>> Built = new(BuildAsync);
    static readonly Lazy<Task<string>> Kunit = new(ExtractKunitAsync);
    static readonly Lazy<Task<string>> T5 = new(BuildT5Async);

    static string Key
    {
        get
        {
            var info = new FileInfo(Tarball);
            if (!info.Exists) throw new InvalidOperationException($"{Tarball} is missing: apt-get install linux-source-6.1");
            return $"{info.Length}-{new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds()}";
        }
    }

    /// <summary>The cache folder holding bzImage, hmm-tests, hmm-tests.unfixed, hdr/, src/ and out/.</summary>
    public static Task<string> DirectoryAsync() => Built.Value;

    public static async Task<string> KernelImageAsync() => Path.Combine(await DirectoryAsync(), "bzImage");
    public static async Task<string> HmmTestsAsync() => Path.Combine(await DirectoryAsync(), "hmm-tests");

    public static string T5Patch => Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "samples/patches/hmm"), "0005-*.patch").Single();

    /// <summary>The same kernel with the sample's T5 (samples/patches/hmm/0005-*.patch) applied: real-kernel-t5.sh, incremental.</summary>
    public static Task<string> T5KernelImageAsync() => T5.Value;

    /// <summary>tools/testing/kunit of the tarball (kunit_parser.py and test_data/), extracted once.</summary>
    public static Task<string> KunitDirectoryAsync() => Kunit.Value;

    /// <summary>Where the build is cached; bench/selftests/run.sh names the same folder.</summary>
    public static string CachePath => $"/tmp/hmmci-realkernel-{Key}-{Recipe}";

    static async Task<string> BuildAsync()
    {
        var cache = CachePath;
        var script = Path.Combine(RepositoryRoot.Path, "tests/HmmCi.Tests/Fixtures/real-kernel.sh");
        var fragment = Path.Combine(RepositoryRoot.Path, "tests/HmmCi.Tests/Kernel/Data/kconfig/hmm-min.config");
        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec("bash", [script, cache, Tarball, fragment])
        {
            Timeout = TimeSpan.FromMinutes(30),
            OutputCap = 1 << 16,
        });
        if (!result.Success) throw new InvalidOperationException($"real-kernel.sh failed ({result.ExitCode}):\n{result.Error}\n{result.Output}");
        return cache;
    }

    static async Task<string> BuildT5Async()
    {
        var cache = await DirectoryAsync();
        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec("bash",
            [Path.Combine(RepositoryRoot.Path, "tests/HmmCi.Tests/Fixtures/real-kernel-t5.sh"), cache, T5Patch])
        {
            Timeout = TimeSpan.FromMinutes(30),
            OutputCap = 1 << 16,
        });
        if (!result.Success) throw new InvalidOperationException($"real-kernel-t5.sh failed ({result.ExitCode}):\n{result.Error}\n{result.Output}");
        return Path.Combine(cache, "bzImage-t5");
    }

    static async Task<string> ExtractKunitAsync()
    {
        var cache = $"/tmp/hmmci-kunit-{Key}";
        var kunit = Path.Combine(cache, "linux-source-6.1/tools/testing/kunit");
        if (File.Exists(Path.Combine(cache, ".complete"))) return kunit;
        var staging = cache + "." + Guid.NewGuid().ToString("N")[..8];
        Directory.CreateDirectory(staging);
        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec("tar", ["-xJf", Tarball, "-C", staging, "linux-source-6.1/tools/testing/kunit"]));
        if (!result.Success) throw new InvalidOperationException($"tar failed: {result.Error}");
        File.WriteAllText(Path.Combine(staging, ".complete"), "");
        try
        {
            Directory.Move(staging, cache);
        }
        catch (IOException)
        {
            // Another test process got there first; its copy is the same.
            Directory.Delete(staging, recursive: true);
        }
        return kunit;
    }
}
