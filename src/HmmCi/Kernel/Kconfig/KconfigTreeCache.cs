namespace HmmCi.Kernel.Kconfig;

/// <summary>
/// The last Kconfig tree loaded, reused while none of the files it was read from changed. Successive builds move
/// one work tree between commits that rarely touch a Kconfig file, and git rewrites only the files that differ,
/// so a file's size and modification time tell whether it changed, as they tell make; reading the 1,600 Kconfig
/// files of a kernel again for every build would cost more than HmmCi's whole overhead budget.
/// </summary>
public sealed class KconfigTreeCache
{
    sealed record Loaded(string Root, string SrcArch, KconfigTree Tree, IReadOnlyList<(string Path, long Length, DateTime Written)> Files);

    Loaded? _last;

    public KconfigTree Load(string treeRoot, string srcArch = "x86")
    {
        var last = _last;
        if (last is not null && last.Root == treeRoot && last.SrcArch == srcArch && last.Files.All(f => Stamp(treeRoot, f.Path) == (f.Length, f.Written)))
            return last.Tree;
        var tree = KconfigTree.Load(treeRoot, srcArch);
        _last = new Loaded(treeRoot, srcArch, tree, tree.Files.Select(f => { var (length, written) = Stamp(treeRoot, f); return (f, length, written); }).ToList());
        return tree;
    }

    static (long Length, DateTime Written) Stamp(string root, string relative)
    {
        var file = new FileInfo(Path.Combine(root, relative));
        return file.Exists ? (file.Length, file.LastWriteTimeUtc) : (-1, default);
    }
}
