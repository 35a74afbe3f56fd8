using HmmCi.Kernel.Kconfig;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Kernel.Kconfig;

/// <summary>
/// Against the real 6.1 Kconfig files and .config files made by that tree's own make tinyconfig, merge_config.sh -m
/// and olddefconfig from the fragments in Data/kconfig (see Data/README.md).
/// </summary>
public class KconfigVerificationTests
{
    private static readonly Lazy<KconfigTree> Tree = new(() => KconfigTree.Load(Linux61Kconfig.TreeRoot));

    internal static string Data(string name) => Path.Combine(AppContext.BaseDirectory, "Kernel", "Data", "kconfig", name);

    private static IReadOnlyList<BuildDiagnostic> Verify(string dotConfig, params ConfigFragment[] fragments) =>
        KconfigVerification.Verify(Tree.Value, File.ReadAllText(Data(dotConfig)), fragments);

    private static string Describe(BuildDiagnostic d) => $"{d.File}:{d.Line}: {d.Message}";

    [Fact]
    public void Test_hmm_without_the_runtime_testing_menu_is_dropped_with_the_if_block_it_sits_in()
    {
        var fragment = ConfigFragment.FromFile(Data("no-rtm.config"));

        var diagnostics = KconfigVerification.Verify(Linux61Kconfig.TreeRoot, File.ReadAllText(Data("tinyconfig+no-rtm.config")), [fragment]);

        var testHmm = diagnostics.Single(d => d.Message.StartsWith("CONFIG_TEST_HMM=", StringComparison.Ordinal));
        Assert.Equal("CONFIG_TEST_HMM=y requested, got unset: depends on RUNTIME_TESTING_MENU [=n] && TRANSPARENT_HUGEPAGE [=y] && DEVICE_PRIVATE [=y]",
            testHmm.Message);
        Assert.Equal((fragment.Name, 28), (testHmm.File, testHmm.Line));
        Assert.Equal("error", testHmm.Severity);
        Assert.Equal(["defined at lib/Kconfig.debug:2734"], testHmm.Context);
        // HMM_MIRROR has no prompt: only TEST_HMM (or a driver) selects it.
        Assert.Equal(
        [
            "no-rtm.config:14: CONFIG_TMPFS=y requested, got unset: depends on SHMEM [=n]",
            "no-rtm.config:27: CONFIG_HMM_MIRROR=y requested, got unset: it has no prompt: only a select sets it; selected by "
                + "DRM_AMDGPU_USERPTR [=n] && HAS_IOMEM [=y] && DRM_AMDGPU [=n] && MMU [=y] || "
                + "HSA_AMD [=n] && HAS_IOMEM [=y] && DRM_AMDGPU [=n] && (X86_64 [=y] || ARM64 || PPC64) || "
                + "HSA_AMD_SVM [=n] && HAS_IOMEM [=y] && HSA_AMD [=n] && DEVICE_PRIVATE [=y] || "
                + "DRM_NOUVEAU_SVM [=n] && HAS_IOMEM [=y] && DEVICE_PRIVATE [=y] && DRM_NOUVEAU [=n] && MMU [=y] && STAGING [=n] || "
                + "INFINIBAND_ON_DEMAND_PAGING [=n] && INFINIBAND [=n] && INFINIBAND_USER_MEM [=n] || "
                + "TEST_HMM [=n] && RUNTIME_TESTING_MENU [=n] && TRANSPARENT_HUGEPAGE [=y] && DEVICE_PRIVATE [=y]",
            "no-rtm.config:28: " + testHmm.Message,
        ], diagnostics.Select(d => Path.GetFileName(d.File) + ":" + d.Line + ": " + d.Message));
    }

    [Fact]
    public void The_hmm_selftests_fragment_on_tinyconfig_loses_only_tmpfs_which_needs_shmem()
    {
        // A real drop: tinyconfig turns SHMEM off, and the fragment asks for TMPFS without it.
        Assert.Equal(["hmm-min.config:14: CONFIG_TMPFS=y requested, got unset: depends on SHMEM [=n]"],
            Verify("tinyconfig+hmm-min.config", ConfigFragment.FromFile(Data("hmm-min.config")) with { Name = "hmm-min.config" }).Select(Describe));
    }

    [Fact]
    public void Not_set_m_string_int_and_unknown_requests_each_say_why_olddefconfig_did_otherwise()
    {
        var diagnostics = Verify("tinyconfig+mixed.config", ConfigFragment.FromFile(Data("mixed.config")) with { Name = "mixed.config" });

        Assert.Equal(
        [
            "mixed.config:14: CONFIG_TMPFS=y requested, got unset: depends on SHMEM [=n]",
            "mixed.config:35: CONFIG_HMM_MIRROR=n requested, got y: selected by TEST_HMM [=y] && RUNTIME_TESTING_MENU [=y] && TRANSPARENT_HUGEPAGE [=y] && DEVICE_PRIVATE [=y]",
            "mixed.config:36: CONFIG_TEST_HMM=m requested, got y: modules need MODULES [=n]",
            "mixed.config:37: CONFIG_CMDLINE=\"console=ttyS0\" requested, got unset: depends on CMDLINE_BOOL [=n]",
            "mixed.config:38: CONFIG_LOG_BUF_SHIFT=30 requested, got 17: outside its range [12 25]",
            "mixed.config:40: CONFIG_NO_SUCH_OPTION=y requested, got unset: no symbol NO_SUCH_OPTION in this tree's Kconfig (SRCARCH=x86)",
        ], diagnostics.Select(Describe));
    }

    [Fact]
    public void An_inline_fragment_reports_its_pseudo_file_and_the_line_it_starts_at()
    {
        var inline = new ConfigFragment("hmmci.yml:kernel.configs[0].fragments[1]", "# HMM\nCONFIG_TEST_HMM=y\n") { FirstLine = 12 };

        var diagnostics = Verify("tinyconfig+no-rtm.config", inline);

        Assert.Equal(["hmmci.yml:kernel.configs[0].fragments[1]:13: CONFIG_TEST_HMM=y requested, got unset: depends on "
            + "RUNTIME_TESTING_MENU [=n] && TRANSPARENT_HUGEPAGE [=y] && DEVICE_PRIVATE [=y]"], diagnostics.Select(Describe));
    }

    [Fact]
    public void A_later_fragment_replaces_an_earlier_request_for_the_same_option()
    {
        var diagnostics = Verify("tinyconfig+no-rtm.config",
            new ConfigFragment("base.config", "CONFIG_TEST_HMM=y\n"), new ConfigFragment("off.config", "# CONFIG_TEST_HMM is not set\n"));

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void A_line_that_is_no_config_assignment_is_rejected_with_its_file_and_line()
    {
        var e = Assert.Throws<FormatException>(() => Verify("tinyconfig+no-rtm.config", new ConfigFragment("bad.config", "CONFIG_A=y\nTEST_HMM=y\n")));

        Assert.Equal("bad.config:2: not a CONFIG_ line: 'TEST_HMM=y'", e.Message);
    }

    [Fact]
    public void Menus_with_depends_on_nested_ifs_choices_and_sourced_arch_files_make_the_dependency()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("Kconfig", """
            mainmenu "Test $(ARCH)"
            config MODULES
            	bool "modules"
            	modules
            menu "Outer"
            	depends on A || B
            if C
            config X
            	tristate "x"
            	depends on D
            	help
            	  if this were read as Kconfig,
            	  endif would close the block.
            endif
            endmenu
            source "arch/$(SRCARCH)/Kconfig"
            """.Replace("\n            ", "\n"));
        dir.WriteFile("arch/toy/Kconfig", """
            config A
            	bool "a"
            config B
            	def_bool y
            config C
            	bool
            config D
            	bool "d"
            choice
            	prompt "Mode"
            	depends on !C
            config FAST
            	bool "fast"
            config SLOW
            	bool "slow"
            endchoice
            config N
            	int "n"
            	range 1 B_MAX if A
            config B_MAX
            	int
            	default 4
            """.Replace("\n            ", "\n"));
        var config = "# CONFIG_A is not set\nCONFIG_B=y\nCONFIG_D=y\nCONFIG_SLOW=y\nCONFIG_N=3\nCONFIG_B_MAX=4\n";

        var diagnostics = KconfigVerification.Verify(dir.Path, config,
            [new ConfigFragment("f.config", "CONFIG_X=m\nCONFIG_FAST=y\nCONFIG_N=9\nCONFIG_A=y\n")], srcArch: "toy");

        Assert.Equal(
        [
            "f.config:1: CONFIG_X=m requested, got unset: depends on (A [=n] || B [=y]) && C [=n] && D [=y]",
            "f.config:2: CONFIG_FAST=y requested, got unset: the choice \"Mode\" has CONFIG_SLOW=y",
            "f.config:3: CONFIG_N=9 requested, got 3",
            "f.config:4: CONFIG_A=y requested, got unset",
        ], diagnostics.Select(Describe));
        Assert.Equal(["defined at Kconfig:8"], diagnostics[0].Context);
    }

    [Fact]
    public void A_range_that_applies_says_the_request_is_outside_it()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("Kconfig", "config A\n\tbool \"a\"\nconfig N\n\tint \"n\"\n\trange 1 B_MAX if A\nconfig B_MAX\n\tint\n\tdefault 4\n");

        var diagnostics = KconfigVerification.Verify(dir.Path, "CONFIG_A=y\nCONFIG_N=4\nCONFIG_B_MAX=4\n", [new ConfigFragment("f.config", "CONFIG_N=9\n")]);

        Assert.Equal(["f.config:1: CONFIG_N=9 requested, got 4: outside its range [1 4]"], diagnostics.Select(Describe));
    }

    [Fact]
    public void A_kconfig_line_it_cannot_read_names_its_file_and_line()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("Kconfig", "config A\n\tbool \"a\"\n\tdepends on (B\n");

        var e = Assert.Throws<FormatException>(() => KconfigTree.Load(dir.Path));

        Assert.Equal("Kconfig:3: missing ')'", e.Message);
    }

    [Fact]
    public void A_sourced_file_that_is_missing_names_the_source_line()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("Kconfig", "config A\n\tbool \"a\"\nsource \"arch/$(SRCARCH)/Kconfig\"\n");

        var e = Assert.Throws<FormatException>(() => KconfigTree.Load(dir.Path, "riscv"));

        Assert.Equal($"Kconfig:3: no Kconfig file {dir.Path}/arch/riscv/Kconfig", e.Message);
    }
}
