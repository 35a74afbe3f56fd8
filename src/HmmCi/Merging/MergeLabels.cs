namespace HmmCi.Merging;

/// <summary>
/// Puts tree names where git put the commit ids HmmCi passed to merge-tree: in its messages ("moddel.c deleted in
/// drm and modified in hmm", as linux-next words them) and in the paths it invents, such as the file a directory
/// pushed out of the way, <c>dirfile~&lt;commit&gt;</c>, which becomes <c>dirfile~hmm</c>. Such a path then stays the
/// same when a head moves, so the merge window's pair merges and its combined merge name the same path, and a
/// recorded resolution still matches. The file moves to the new path in the merged tree too.
/// </summary>
public static class MergeLabels
{
    public static MergeTreeOutput Apply(MergeTreeOutput output, MergeSide ours, MergeSide theirs, StoreObjects objects)
    {
        var sides = new[] { ours, theirs }.Where(s => s.Head != s.Name).DistinctBy(s => s.Head).ToList();
        if (output.Clean || sides.Count == 0) return output;

        // As git does for a label in a path (merge-ort's add_flattened_path).
        string PathOf(string path) => sides.Aggregate(path, (p, s) => p.Replace("~" + s.Head, "~" + s.Name.Replace('/', '_'), StringComparison.Ordinal));
        string TextOf(string text) => sides.Aggregate(text, (t, s) =>
            t.Replace("~" + s.Head, "~" + s.Name.Replace('/', '_'), StringComparison.Ordinal).Replace(s.Head, s.Name, StringComparison.Ordinal));

        var moved = output.Entries.Select(e => e.Path).Concat(output.Messages.SelectMany(m => m.Paths))
            .Distinct(StringComparer.Ordinal).Where(p => PathOf(p) != p).ToList();
        var tree = output.Tree;
        if (moved.Count > 0)
        {
            var files = new Dictionary<string, TreeFile?>(StringComparer.Ordinal);
            foreach (var path in moved)
                if (objects.ReadFile(output.Tree, path) is { } file)
                    (files[path], files[PathOf(path)]) = (null, file);
            if (files.Count > 0) tree = objects.WriteTree(output.Tree, files);
        }
        return output with
        {
            Tree = tree,
            Entries = output.Entries.Select(e => e with { Path = PathOf(e.Path) }).ToList(),
            Messages = output.Messages.Select(m => m with { Paths = m.Paths.Select(PathOf).ToList(), Text = TextOf(m.Text) }).ToList(),
        };
    }
}
