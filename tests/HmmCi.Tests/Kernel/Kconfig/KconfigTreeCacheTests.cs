using HmmCi.Kernel.Kconfig;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Kernel.Kconfig;

public sealed class KconfigTreeCacheTests : IDisposable
{
    readonly TempDirectory _tree = new();

    public KconfigTreeCacheTests()
    {
        _tree.WriteFile("Kconfig", "mainmenu \"test\"\nsource \"lib/Kconfig\"\nsource \"arch/$(SRCARCH)/Kconfig\"\n");
        _tree.WriteFile("lib/Kconfig", "config TEST_HMM\n\tbool \"test hmm\"\n\tdepends on DEVICE_PRIVATE\n");
        _tree.WriteFile("arch/x86/Kconfig", "config DEVICE_PRIVATE\n\tbool\n");
        _tree.WriteFile("mm/hmm.c", "int x;\n");
    }

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void A_tree_whose_kconfig_files_did_not_change_is_reused_even_when_other_files_did()
    {
        var cache = new KconfigTreeCache();
        var first = cache.Load(_tree.Path);
        _tree.WriteFile("mm/hmm.c", "int y;\n");

        Assert.Same(first, cache.Load(_tree.Path));
        Assert.Equal(["Kconfig", "lib/Kconfig", "arch/x86/Kconfig"], first.Files);
    }

    [Fact]
    public void A_changed_sourced_kconfig_file_is_read_again()
    {
        var cache = new KconfigTreeCache();
        var first = cache.Load(_tree.Path);
        _tree.WriteFile("lib/Kconfig", "config TEST_HMM\n\tbool \"test hmm\"\n\tdepends on DEVICE_PRIVATE && MMU\n");

        var again = cache.Load(_tree.Path);

        Assert.NotSame(first, again);
        Assert.Equal("DEVICE_PRIVATE && MMU", KconfigEval.Print(again.Symbols["TEST_HMM"].DirectDependency, null));
    }

    [Fact]
    public void Another_architecture_is_another_tree()
    {
        _tree.WriteFile("arch/arm64/Kconfig", "config DEVICE_PRIVATE\n\tbool\n");
        var cache = new KconfigTreeCache();

        Assert.NotSame(cache.Load(_tree.Path), cache.Load(_tree.Path, "arm64"));
    }
}
