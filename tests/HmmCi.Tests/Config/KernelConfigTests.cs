using HmmCi.Config;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Config;

public class KernelConfigTests
{
    private const string Trees = """
        topic:    { name: hmm,  url: repos/hmm.git, branch: hmm }
        mainline: { url: https://example.org/linux.git, branch: master }
        trees:
          - { name: rdma, url: git://example.org/rdma.git, branch: for-next }

        """;

    private static ConfigException Reject(string yaml) => Assert.Throws<ConfigException>(() => ConfigLoader.Parse(Trees + yaml, "hmmci.yml"));

    [Fact]
    public void Without_a_kernel_section_every_tree_builds_x86_64_tinyconfig_plus_the_bundled_hmm_selftests_fragment_in_whichever_engine_works()
    {
        var config = ConfigLoader.Parse(Trees, "hmmci.yml");

        Assert.Equal("auto", config.Kernel.Runtime);
        var only = Assert.Single(config.ConfigsFor(config.Trees[0]));
        Assert.Equal("tinyconfig+hmm-selftests", only.Name);
        Assert.Equal("tinyconfig", only.Base);
        Assert.True(only.Boot);
        var fragment = Assert.Single(only.Fragments);
        Assert.Contains("CONFIG_TEST_HMM=y\n", fragment.Content);
        Assert.Contains("CONFIG_RUNTIME_TESTING_MENU=y", fragment.Content);
        Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src/HmmCi/Kernel/Configs/hmm-selftests.config")), fragment.Content);
        Assert.True(config.SelftestBuild.HarnessFixes);
    }

    [Fact]
    public void Named_configs_take_a_base_fragment_files_the_bundled_fragment_and_inline_lines_at_their_own_line()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("configs/debug.config", "CONFIG_DEBUG_VM=y\n");
        dir.WriteFile("configs/base.config", "CONFIG_64BIT=y\n");
        var path = dir.WriteFile("hmmci.yml", Trees + """
            kernel:
              runtime: podman
              timeout: 1h30m
              configs:
                - name: hmm
                  base: tinyconfig
                  fragments: [hmm-selftests, configs/debug.config, CONFIG_KASAN=y]
                  boot: true
                - name: mine
                  base: configs/base.config
            selftests: { harnessFixes: false }
            """);
        var config = ConfigLoader.Load(path);

        Assert.Equal("podman", config.Kernel.Runtime);
        Assert.Equal(TimeSpan.FromMinutes(90), config.Kernel.Timeout);
        Assert.Equal(["hmm", "mine"], config.Kernel.Configs.Select(c => c.Name));
        var hmm = config.Kernel.Configs[0];
        Assert.Equal(["hmm-selftests", "configs/debug.config", "kernel.configs[0].fragments[2]"], hmm.Fragments.Select(f => f.Name));
        Assert.Equal("CONFIG_DEBUG_VM=y\n", hmm.Fragments[1].Content);
        Assert.Equal(("CONFIG_KASAN=y\n", path, 11), (hmm.Fragments[2].Content, hmm.Fragments[2].File, hmm.Fragments[2].FirstLine));
        Assert.Equal(dir.Combine("configs", "base.config"), config.Kernel.Configs[1].BaseFile);
        Assert.False(config.Kernel.Configs[1].Boot);
        Assert.False(config.SelftestBuild.HarnessFixes);
    }

    [Fact]
    public void A_tree_can_have_its_own_configs_and_timeout()
    {
        var config = ConfigLoader.Parse(Trees.Replace("branch: for-next }", "branch: for-next, kernel: { timeout: 10m, configs: [{ name: small, base: allnoconfig }] } }")
            + "kernel: { timeout: 20m }\n", "hmmci.yml");

        Assert.Equal("small", Assert.Single(config.ConfigsFor(config.Trees[0])).Name);
        Assert.Equal(TimeSpan.FromMinutes(10), config.TimeoutFor(config.Trees[0]));
        Assert.Equal(TimeSpan.FromMinutes(20), config.TimeoutFor(null));
        Assert.Equal("tinyconfig+hmm-selftests", Assert.Single(config.ConfigsFor(null)).Name);
    }

    [Theory]
    [InlineData("kernel: { runtme: podman }", "hmmci.yml:5:11: unknown key 'kernel.runtme' (did you mean 'runtime'?)")]
    [InlineData("kernel: { runtime: lxc }", "hmmci.yml:5:20: kernel.runtime: expected auto, podman, docker, host, got 'lxc'")]
    [InlineData("kernel: { timeout: soon }", "hmmci.yml:5:20: kernel.timeout: expected a duration such as 90s, 45m or 1h30m, got 'soon'")]
    [InlineData("kernel: { timeout: 0s }", "hmmci.yml:5:20: kernel.timeout: must be longer than 0s")]
    [InlineData("kernel: { configs: [] }", "hmmci.yml:5:20: kernel.configs: name at least one config (or leave the key out for the default)")]
    [InlineData("kernel: { configs: [{ name: a, base: tinyconfig, boot: maybe }] }", "hmmci.yml:5:56: kernel.configs[0].boot: expected true or false, got 'maybe'")]
    [InlineData("kernel: { configs: [{ name: a, base: tinycofnig }] }", "hmmci.yml:5:38: kernel.configs[0].base: 'tinycofnig' is neither tinyconfig, defconfig, allmodconfig, allnoconfig nor an existing .config file (relative to hmmci.yml)")]
    [InlineData("kernel: { configs: [{ name: a, base: tinyconfig, fragments: [missing.config] }] }", "hmmci.yml:5:62: kernel.configs[0].fragments[0]: fragment 'missing.config' not found (a file relative to hmmci.yml, 'hmm-selftests', or CONFIG_X=y lines)")]
    [InlineData("kernel: { configs: [{ name: a, base: tinyconfig }, { name: a, base: defconfig }] }", "hmmci.yml:5:60: kernel.configs[1].name: duplicate config name 'a'")]
    [InlineData("kernel: { configs: [{ name: a/b, base: tinyconfig }] }", "hmmci.yml:5:29: kernel.configs[0].name: 'a/b' is not a valid config name (letters, digits, '.', '_', '+', '-'; it names a build folder)")]
    [InlineData("selftests: { harnessFixes: yes }", "hmmci.yml:5:28: selftests.harnessFixes: expected true or false, got 'yes'")]
    public void Bad_kernel_settings_name_the_file_line_and_key(string yaml, string message) => Assert.Equal(message, Reject(yaml).Message);

    [Fact]
    public void An_inline_block_of_kconfig_lines_must_be_kconfig_lines()
    {
        var e = Reject("kernel:\n  configs:\n    - name: a\n      base: tinyconfig\n      fragments:\n        - |\n          CONFIG_A=y\n          CONFIG_B is on\n");
        Assert.Equal("hmmci.yml:10:11: kernel.configs[0].fragments[0]: 'CONFIG_B is on' is not a kconfig line (expected CONFIG_X=value or '# CONFIG_X is not set')", e.Message);
    }
}
