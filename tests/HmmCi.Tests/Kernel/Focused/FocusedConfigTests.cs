using HmmCi.Config;

namespace HmmCi.Tests.Kernel.Focused;

public sealed class FocusedConfigTests
{
    const string Trees = """
        topic:    { name: hmm,  url: repos/hmm.git, branch: hmm }
        mainline: { url: https://example.org/linux.git, branch: master }
        trees:
          - { name: rdma, url: git://example.org/rdma.git, branch: for-next }

        """;

    static FocusedConfig Parse(string yaml) => ConfigLoader.Parse(Trees + yaml, "hmmci.yml").Kernel.Focused;

    [Fact]
    public void Without_kernel_focused_every_merge_gets_an_allmodconfig_compile_of_up_to_500_files_with_errors_blamed_and_warnings_not()
    {
        var focused = Parse("");
        Assert.Equal(["allmodconfig"], focused.Configs);
        Assert.Equal((500, false, TimeSpan.FromMinutes(5)), (focused.MaxFiles, focused.BlameWarnings, focused.Timeout));
    }

    [Fact]
    public void Kernel_focused_sets_the_configs_the_cap_blaming_warnings_and_the_per_object_timeout()
    {
        var focused = Parse("kernel:\n  focused: { configs: [allmodconfig, allnoconfig], maxFiles: 40, blameWarnings: true, timeout: 90s }\n");
        Assert.Equal(["allmodconfig", "allnoconfig"], focused.Configs);
        Assert.Equal((40, true, TimeSpan.FromSeconds(90)), (focused.MaxFiles, focused.BlameWarnings, focused.Timeout));
        Assert.Empty(Parse("kernel:\n  focused: { configs: [] }\n").Configs);
    }

    [Theory]
    [InlineData("kernel:\n  focused: { maxFiles: none }", "hmmci.yml:6:24: kernel.focused.maxFiles: expected a number of files above 0, got 'none'")]
    [InlineData("kernel:\n  focused: { configs: [tinyconfig+hmm] }", "hmmci.yml:6:24: kernel.focused.configs[0]: expected one of tinyconfig, defconfig, allmodconfig, allnoconfig")]
    [InlineData("kernel:\n  focused: { maxfiles: 3 }", "hmmci.yml:6:14: unknown key 'kernel.focused.maxfiles' (did you mean 'maxFiles'?)")]
    public void A_bad_focused_section_is_reported_where_it_stands(string yaml, string expected) =>
        Assert.Equal(expected, Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Trees + yaml + "\n", "hmmci.yml")).Message);
}
