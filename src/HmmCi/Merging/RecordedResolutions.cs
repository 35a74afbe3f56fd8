using System.Text;
using HmmCi.Config;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Merging;

/// <summary>What a conflict looked like, in the form a recorded resolution is matched against.</summary>
public static class ResolutionPreimage
{
    /// <summary>
    /// A text conflict's preimage is the merged file with markers (labelled with tree names, so it is stable across
    /// runs). Other conflicts (modify/delete, binary, submodule...) have no such file: their preimage is the exact
    /// set of stages, so the resolution applies only while both sides are unchanged.
    /// </summary>
    public static byte[] Of(Conflict conflict, string? relabelledText) =>
        relabelledText is not null && ConflictMarkers.HasMarkers(relabelledText)
            ? Encoding.UTF8.GetBytes(relabelledText)
            : Encoding.UTF8.GetBytes($"hmmci conflict: {conflict.Kind} in {conflict.Path}\n"
                + string.Concat(conflict.Entries.Select(e => $"{e.Stage} {e.Mode} {e.ObjectId}\n")));
}

/// <summary>How a tree's recorded resolution met this run's conflicts; <see cref="Files"/> is the resolved content of each path.</summary>
public sealed record ResolutionOutcome(
    IReadOnlyDictionary<string, (ResolutionStatus Status, string? Note)> Paths,
    IReadOnlyDictionary<string, TreeFile?> Files)
{
    public bool AllApplied => Paths.Values.All(p => p.Status == ResolutionStatus.Applied);
}

/// <summary>
/// The resolutions folder next to hmmci.yml, rerere-like: <c>resolutions/&lt;tree&gt;/preimage/&lt;path&gt;</c> is the
/// conflict as HmmCi saw it, <c>resolutions/&lt;tree&gt;/postimage/&lt;path&gt;</c> the maintainer's resolution (absent:
/// the path is deleted). A text preimage is applied like rerere does, as a three-way merge of the preimage-to-
/// postimage change onto today's conflicted file, so unrelated edits elsewhere in the file do not matter; when
/// the conflicting lines themselves changed, the merge fails and the resolution no longer applies.
/// </summary>
public sealed class RecordedResolutions(string directory, GitCli git)
{
    /// <summary>The resolutions next to the config file, committed with it.</summary>
    public static RecordedResolutions Of(HmmCiConfig config, GitCli git) => new(Path.Combine(config.Directory, "resolutions"), git);

    public string Directory { get; } = directory;

    public string FolderOf(string tree) => Path.Combine(Directory, tree);

    /// <summary>The folder as the report names it, relative to the config.</summary>
    public string Display(string tree) => $"{Path.GetFileName(Directory)}/{tree}";

    public bool Has(string tree) => System.IO.Directory.Exists(Path.Combine(FolderOf(tree), "preimage"));

    public async Task<ResolutionOutcome> ApplyAsync(string tree, IReadOnlyList<DescribedConflict> conflicts, CancellationToken cancellation = default)
    {
        var paths = new Dictionary<string, (ResolutionStatus, string?)>(StringComparer.Ordinal);
        var files = new Dictionary<string, TreeFile?>(StringComparer.Ordinal);
        foreach (var conflict in conflicts)
        {
            var path = conflict.Conflict.Path;
            var preimageFile = Path.Combine(FolderOf(tree), "preimage", path);
            if (!File.Exists(preimageFile))
            {
                paths[path] = (ResolutionStatus.None, null);
                continue;
            }
            var postimageFile = Path.Combine(FolderOf(tree), "postimage", path);
            var postimage = File.Exists(postimageFile) ? await File.ReadAllBytesAsync(postimageFile, cancellation) : null;
            var resolved = await ResolveAsync(conflict.Preimage, await File.ReadAllBytesAsync(preimageFile, cancellation), postimage, cancellation);
            if (resolved.Applied)
            {
                paths[path] = (ResolutionStatus.Applied, null);
                files[path] = resolved.Content is null ? null : new TreeFile(resolved.Content, ModeOf(conflict));
            }
            else paths[path] = (ResolutionStatus.NoLongerApplies, $"the conflict in {path} changed since its resolution was recorded in {Display(tree)}");
        }
        return new ResolutionOutcome(paths, files);
    }

    /// <summary>Replaces the tree's recorded resolution with these paths.</summary>
    public void Save(string tree, IEnumerable<(string Path, byte[] Preimage, byte[]? Postimage)> resolutions)
    {
        var folder = FolderOf(tree);
        if (System.IO.Directory.Exists(folder)) System.IO.Directory.Delete(folder, recursive: true);
        foreach (var (path, preimage, postimage) in resolutions)
        {
            Write(Path.Combine(folder, "preimage", path), preimage);
            if (postimage is not null) Write(Path.Combine(folder, "postimage", path), postimage);
        }
    }

    private async Task<(bool Applied, byte[]? Content)> ResolveAsync(byte[] current, byte[] preimage, byte[]? postimage, CancellationToken cancellation)
    {
        if (current.AsSpan().SequenceEqual(preimage)) return (true, postimage);
        var isText = ConflictMarkers.HasMarkers(Encoding.UTF8.GetString(current)) && ConflictMarkers.HasMarkers(Encoding.UTF8.GetString(preimage));
        if (!isText || postimage is null) return (false, null);

        var scratch = Path.Combine(Path.GetTempPath(), "hmmci-resolution-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(scratch);
        try
        {
            var (currentFile, preimageFile, postimageFile) = (Path.Combine(scratch, "current"), Path.Combine(scratch, "preimage"), Path.Combine(scratch, "postimage"));
            await File.WriteAllBytesAsync(currentFile, current);
            await File.WriteAllBytesAsync(preimageFile, preimage);
            await File.WriteAllBytesAsync(postimageFile, postimage);
            var merged = await git.RunAsync(["merge-file", "-p", "-q", currentFile, preimageFile, postimageFile], cancellation: cancellation);
            return merged.ExitCode == 0 && !ConflictMarkers.HasMarkers(merged.Output)
                ? (true, Encoding.UTF8.GetBytes(merged.Output))
                : (false, null);
        }
        finally
        {
            System.IO.Directory.Delete(scratch, recursive: true);
        }
    }

    private static string ModeOf(DescribedConflict conflict) =>
        conflict.Merged?.Mode ?? conflict.Conflict.Entries.OrderBy(e => e.Stage == 2 ? 0 : 1).FirstOrDefault()?.Mode ?? "100644";

    private static void Write(string path, byte[] content)
    {
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
    }
}
