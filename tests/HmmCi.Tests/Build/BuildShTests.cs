using System.Text;
using HmmCi.Processes;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Build;

/// <summary>build.sh's up-to-date check, on a copy of the repository's build.sh, build/, src/ and Directory.Build.props.</summary>
public sealed class BuildShTests : IDisposable
{
    readonly TempDirectory _copy = new();

    public void Dispose() => _copy.Dispose();

    [Fact]
    public async Task A_changed_embedded_resource_rebuilds_the_pipeline_and_an_unchanged_tree_does_not()
    {
        foreach (var file in new[] { "build.sh", "Directory.Build.props" }) File.Copy(Path.Combine(RepositoryRoot.Path, file), _copy.Combine(file));
        foreach (var folder in new[] { "build", "src" }) CopySources(Path.Combine(RepositoryRoot.Path, folder), _copy.Combine(folder));

        var first = await BuildShAsync();
        Assert.True(first.Success, first.Error);
        Assert.Contains("build.sh: building the pipeline", first.Error);
        var unchanged = await BuildShAsync();
        Assert.True(unchanged.Success, unchanged.Error);
        Assert.DoesNotContain("building the pipeline", unchanged.Error);

        // The build image's recipe is compiled into HmmCi.dll: a pipeline built before the change builds the old image.
        var containerfile = _copy.Combine("src/HmmCi/Kernel/Image/Containerfile");
        File.AppendAllText(containerfile, "# hmmci-test: changed after the build\n");
        File.SetLastWriteTimeUtc(containerfile, File.GetLastWriteTimeUtc(_copy.Combine("build/bin/pipeline/_build.dll")).AddSeconds(2));
        var changed = await BuildShAsync();

        Assert.True(changed.Success, changed.Error);
        Assert.Contains("build.sh: building the pipeline", changed.Error);
        Assert.Contains("# hmmci-test: changed after the build", Encoding.UTF8.GetString(File.ReadAllBytes(_copy.Combine("build/bin/pipeline/HmmCi.dll"))));
    }

    Task<ProcessResult> BuildShAsync() => ProcessRunner.Default.RunAsync(new ProcessSpec("bash", [_copy.Combine("build.sh"), "--help"])
    {
        WorkingDirectory = _copy.Path,
        // No compiler server or MSBuild node outlives the test.
        Environment = new Dictionary<string, string?> { ["MSBUILDDISABLENODEREUSE"] = "1", ["UseSharedCompilation"] = "false" },
        Timeout = TimeSpan.FromMinutes(10),
    });

    static void CopySources(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var sub in Directory.GetDirectories(from).Where(d => Path.GetFileName(d) is not ("bin" or "obj")))
            CopySources(sub, Path.Combine(to, Path.GetFileName(sub)));
    }
}
