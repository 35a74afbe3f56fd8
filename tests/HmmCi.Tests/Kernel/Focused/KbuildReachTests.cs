using HmmCi.Kernel.Focused;
using HmmCi.Kernel.Kconfig;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Kernel.Focused;

public sealed class KbuildReachTests : IDisposable
{
    readonly TempDirectory _tree = new();

    public KbuildReachTests()
    {
        _tree.WriteFile("Kbuild", "obj-y\t\t\t+= drivers/\nobj-y += arch/$(SRCARCH)/\n");
        _tree.WriteFile("drivers/Makefile", "obj-$(CONFIG_INFINIBAND)\t+= infiniband/ # RDMA\n");
        _tree.WriteFile("drivers/infiniband/Makefile", "obj-$(CONFIG_INFINIBAND) +=\t\tib_core.o \\\n\t\t\t\tib_uverbs.o\n"
            + "ib_uverbs-y := uverbs_main.o\nib_uverbs-$(CONFIG_INFINIBAND_ON_DEMAND_PAGING) += umem_odp.o\n"
            + "obj-$(subst m,y,$(CONFIG_MLX5_INFINIBAND)) += mlx5_glue.o\nobj-y += always.o\n");
        _tree.WriteFile("arch/x86/Kbuild", "obj-y += kernel/\n");
        _tree.WriteFile("arch/x86/kernel/Makefile", "obj-y += setup.o\n");
    }

    KbuildReach With(string config) => new(_tree.Path, DotConfig.Values(config, ".config"));

    [Theory]
    [InlineData("drivers/infiniband/uverbs_main.c", null)]
    [InlineData("drivers/infiniband/umem_odp.c", "CONFIG_INFINIBAND_ON_DEMAND_PAGING is not set (drivers/infiniband/Makefile:4)")]
    [InlineData("drivers/infiniband/mlx5_glue.c", null)]
    [InlineData("drivers/infiniband/verbs.c", "drivers/infiniband/Makefile has no rule that builds verbs.o")]
    [InlineData("arch/x86/kernel/setup.c", null)]
    [InlineData("arch/arm64/kernel/setup.c", "architecture file: arch/arm64 is not built for x86 builds")]
    [InlineData("fs/ext4/inode.c", "no Kbuild or Makefile in fs/ext4/")]
    public void A_file_is_compiled_when_its_object_and_every_directory_above_it_are_enabled(string file, string? notCompiled) =>
        Assert.Equal(notCompiled, With("CONFIG_INFINIBAND=m\n# CONFIG_INFINIBAND_ON_DEMAND_PAGING is not set\nCONFIG_MLX5_INFINIBAND=m\n").Of(file).NotCompiled);

    [Fact]
    public void A_directory_the_config_does_not_enter_says_which_symbol_is_unset() =>
        Assert.Equal("CONFIG_INFINIBAND is not set (drivers/Makefile:1)", With("# CONFIG_INFINIBAND is not set\n").Of("drivers/infiniband/always.c").NotCompiled);

    public void Dispose() => _tree.Dispose();
}
