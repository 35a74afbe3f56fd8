using HmmCi.Config;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Config;

public class ConfigLoaderTests
{
    private const string Valid = """
        topic:    { name: hmm,  url: repos/hmm.git, branch: hmm }
        mainline: { url: https://example.org/linux.git, branch: master }
        trees:
          - { name: rdma, url: git://example.org/rdma.git, branch: for-next }
          - { name: drm,  url: file:///srv/drm.git, branch: drm-next }
        """;

    private static ConfigException Reject(string yaml) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml, "hmmci.yml"));

    [Fact]
    public void A_valid_config_resolves_local_paths_against_its_own_folder_and_keeps_urls()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteFile("conf/hmmci.yml", Valid);
        var config = ConfigLoader.Load(path);
        Assert.Equal(dir.Combine("conf", "repos", "hmm.git"), config.Topic.Url);
        Assert.Equal("hmm", config.Topic.Branch);
        Assert.Equal("https://example.org/linux.git", config.Mainline.Url);
        Assert.Equal(["rdma", "drm"], config.Trees.Select(t => t.Name));
        Assert.Equal("file:///srv/drm.git", config.Trees[1].Url);
        Assert.Equal(["hmm", "mainline", "rdma", "drm"], config.AllTrees.Select(t => t.Name));
    }

    [Fact]
    public void A_typo_in_a_key_names_the_file_line_column_and_suggests_the_key()
    {
        var e = Reject(Valid.Replace("url: repos/hmm.git", "urll: repos/hmm.git"));
        Assert.Equal("hmmci.yml:1:25: unknown key 'topic.urll' (did you mean 'url'?)", e.Message);
    }

    [Fact]
    public void A_missing_topic_url_points_at_the_topic_mapping()
    {
        var e = Reject(Valid.Replace("url: repos/hmm.git, ", ""));
        Assert.Equal("hmmci.yml:1:11: missing key 'topic.url'", e.Message);
    }

    [Fact]
    public void Two_trees_named_alike_are_rejected_at_the_second()
    {
        var e = Reject(Valid.Replace("name: drm", "name: rdma"));
        Assert.Equal("hmmci.yml:5:13: trees[1].name: duplicate tree name 'rdma' (every tree, the topic and 'mainline' need distinct names)", e.Message);
    }

    [Fact]
    public void A_tree_may_not_take_the_topic_name()
    {
        Assert.Contains("duplicate tree name 'hmm'", Reject(Valid.Replace("name: drm", "name: hmm")).Message);
    }

    [Theory]
    [InlineData("trees: { name: rdma }", "hmmci.yml:3:8: trees: expected a list, got a mapping")]
    [InlineData("trees: []", "hmmci.yml:3:8: trees: name at least one downstream tree")]
    [InlineData("trees:\n  - [rdma]", "hmmci.yml:4:5: trees[0]: expected a mapping, got a list")]
    [InlineData("trees:\n  - { name: rdma, url: { a: b }, branch: x }", "hmmci.yml:4:24: trees[0].url: expected a string, got a mapping")]
    [InlineData("trees:\n  - { name: rdma, url: u, branch: 'a b' }", "hmmci.yml:4:35: trees[0].branch: 'a b' is not a valid branch name")]
    [InlineData("trees:\n  - { name: 'r/x', url: u, branch: b }", "hmmci.yml:4:13: trees[0].name: 'r/x' is not a valid tree name (letters, digits, '.', '_', '-')")]
    [InlineData("trees:\n  - { name: r, url: 'ftp://x/y', branch: b }", "hmmci.yml:4:21: trees[0].url: unsupported URL scheme 'ftp://' (use https://, git://, ssh://, file:// or a local path)")]
    public void Wrong_shapes_and_values_are_reported_where_they_stand(string trees, string expected)
    {
        var head = string.Join("\n", Valid.Split('\n').Take(2));
        Assert.Equal(expected, Reject(head + "\n" + trees + "\n").Message);
    }

    [Fact]
    public void Duplicate_yaml_keys_and_syntax_errors_carry_a_position()
    {
        Assert.StartsWith("hmmci.yml:2:1:", Reject("topic: { name: a, url: u, branch: b }\ntopic: { name: a, url: u, branch: b }\n").Message);
        Assert.StartsWith("hmmci.yml:2:1: While parsing a flow mapping", Reject("topic: { name: a\n").Message);
    }

    [Fact]
    public void A_truncated_flow_mapping_and_a_second_document_are_errors_with_a_position()
    {
        Assert.Equal("hmmci.yml:5:63: unexpected end of file (an unclosed '{' or '['?)", Reject(Valid.Replace("branch: hmm }", "branch: hmm")).Message);
        Assert.StartsWith("hmmci.yml:7:1: more than one YAML document", Reject(Valid + "\n---\nx: 1\n").Message);
    }

    [Theory]
    [InlineData("drm..next")]
    [InlineData("drm.")]
    [InlineData("drm.lock")]
    public void Tree_names_that_git_cannot_use_in_a_ref_are_rejected(string name)
    {
        Assert.Contains($"'{name}' is not a valid tree name", Reject(Valid.Replace("name: drm,", $"name: '{name}',")).Message);
    }

    [Fact]
    public void The_error_carries_the_file_and_line_for_annotations()
    {
        var e = Reject(Valid.Replace("url: repos/hmm.git", "urll: repos/hmm.git"));
        Assert.Equal(("hmmci.yml", 1), (e.File, e.Line));
    }

    [Fact]
    public void An_empty_or_missing_file_is_a_one_line_error()
    {
        Assert.Equal("hmmci.yml:1:1: empty config (expected topic, mainline and trees)", Reject("").Message);
        var missing = Assert.Throws<ConfigException>(() => ConfigLoader.Load("/nonexistent/hmmci.yml"));
        Assert.Equal("/nonexistent/hmmci.yml: config file not found", missing.Message);
    }

    [Fact]
    public void Parameters_are_checked_against_the_known_ones()
    {
        var yaml = Valid + "\nparameters: { output: out, tree: [rdma, drm] }\n";
        var config = ConfigLoader.Parse(yaml, "hmmci.yml", ["output", "tree", "workspace"]);
        Assert.Equal("rdma,drm", config.Parameters["tree"]);
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(yaml.Replace("output:", "ouput:"), "hmmci.yml", ["output", "tree"]));
        Assert.Contains("unknown key 'parameters.ouput' (did you mean 'output'?)", e.Message);
    }

    [Fact]
    public void The_repository_config_and_the_sample_config_load()
    {
        var root = RepositoryRoot.Path;
        Assert.Equal("hmm", ConfigLoader.Load(Path.Combine(root, "hmmci.yml")).Topic.Branch);
        var sample = ConfigLoader.Load(Path.Combine(root, "samples", "hmmci.yml"));
        Assert.NotNull(sample.Sample);
        Assert.Equal(["rdma", "drm", "mm"], sample.Trees.Select(t => t.Name));
    }
    [Fact]
    public void The_checks_section_gives_scope_globs_and_per_rule_settings_and_defaults_to_every_rule_on()
    {
        var yaml = Valid + "\nchecks:\n  scope: [mm/hmm.c, 'lib/test_hmm*']\n  rules:\n    duplicates: { severity: error }\n    scope: { enabled: false }\n";
        var checks = ConfigLoader.Parse(yaml, "hmmci.yml").Checks;
        Assert.Equal(["mm/hmm.c", "lib/test_hmm*"], checks.Scope);
        Assert.Equal(new CheckRuleConfig(true, HmmCi.Config.Severity.Error), checks.Rule("duplicates"));
        Assert.Equal(new CheckRuleConfig(false, null), checks.Rule("scope"));
        Assert.Equal(new CheckRuleConfig(true, null), checks.Rule("fixes-tag"));
        Assert.Empty(ConfigLoader.Parse(Valid, "hmmci.yml").Checks.Scope);
    }

    [Theory]
    [InlineData("checks:\n  rules:\n    fixes-tags: { enabled: false }", "hmmci.yml:8:5: unknown key 'checks.rules.fixes-tags' (did you mean 'fixes-tag'?)")]
    [InlineData("checks:\n  rules:\n    base: { severity: fatal }", "hmmci.yml:8:23: checks.rules.base.severity: expected error or warning, got 'fatal'")]
    [InlineData("checks:\n  rules:\n    base: { enabled: no }", "hmmci.yml:8:22: checks.rules.base.enabled: expected true or false, got 'no'")]
    [InlineData("checks:\n  scope: [/mm/hmm.c]", "hmmci.yml:7:11: checks.scope[0]: '/mm/hmm.c' must be a path relative to the top of the tree, with '/' separators")]
    [InlineData("checks:\n  scope: mm/hmm.c", "hmmci.yml:7:10: checks.scope: expected a list, got a string")]
    [InlineData("checks:\n  scopes: []", "hmmci.yml:7:3: unknown key 'checks.scopes' (did you mean 'scope'?)")]
    public void A_bad_checks_section_is_reported_where_it_stands(string checks, string expected) =>
        Assert.Equal(expected, Reject(Valid + "\n" + checks + "\n").Message);

    [Fact]
    public void The_kernel_section_chooses_the_runtime_and_whether_new_warnings_block_and_defaults_to_auto_and_warning()
    {
        var kernel = ConfigLoader.Parse(Valid + "\nkernel: { runtime: podman, newWarnings: error }\n", "hmmci.yml").Kernel;
        Assert.Equal("podman", kernel.Runtime);
        Assert.Equal(HmmCi.Config.Severity.Error, kernel.NewWarnings);

        var defaults = ConfigLoader.Parse(Valid, "hmmci.yml").Kernel;
        Assert.Equal("auto", defaults.Runtime);
        Assert.Equal(HmmCi.Config.Severity.Warning, defaults.NewWarnings);
        Assert.Equal("host", ConfigLoader.Parse(Valid + "\nkernel: { runtime: host }\n", "hmmci.yml").Kernel.Runtime);
    }

    [Theory]
    [InlineData("kernel:\n  runtime: lxc", "hmmci.yml:7:12: kernel.runtime: expected auto, podman, docker, host, got 'lxc'")]
    [InlineData("kernel:\n  newWarnings: fatal", "hmmci.yml:7:16: kernel.newWarnings: expected error or warning, got 'fatal'")]
    [InlineData("kernel:\n  newwarnings: error", "hmmci.yml:7:3: unknown key 'kernel.newwarnings' (did you mean 'newWarnings'?)")]
    [InlineData("kernel: podman", "hmmci.yml:6:9: kernel: expected a mapping, got a string")]
    public void A_bad_kernel_section_is_reported_where_it_stands(string kernel, string expected) =>
        Assert.Equal(expected, Reject(Valid + "\n" + kernel + "\n").Message);
}
