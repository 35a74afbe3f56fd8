namespace HmmCi.Config;

/// <summary>A git tree as hmmci.yml names it. <see cref="Url"/> is absolute for local paths.</summary>
public sealed record TreeConfig(string Name, string Url, string Branch)
{
    /// <summary>The tree's <c>kernel:</c> override, if it has one.</summary>
    public TreeKernelConfig? Kernel { get; init; }
}

/// <summary>A script that generates the trees the config points at (the bundled sample), run before Fetch.</summary>
public sealed record SampleConfig(string Script, string Output);

/// <summary>The whole of hmmci.yml.</summary>
public sealed record HmmCiConfig(
    string Path,
    TreeConfig Topic,
    TreeConfig Mainline,
    IReadOnlyList<TreeConfig> Trees,
    SampleConfig? Sample,
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>The folder relative paths in the config resolve against.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;

    /// <summary>Topic, mainline, then the downstream trees, in config order.</summary>
    public IEnumerable<TreeConfig> AllTrees => Trees.Prepend(Mainline).Prepend(Topic);

    /// <summary>The <c>checks:</c> section; every rule on, at its default severity, when absent.</summary>
    public ChecksConfig Checks { get; init; } = ChecksConfig.Default;

    /// <summary><c>report.email</c>: report.eml's From, To, Cc and the optional mail server.</summary>
    public EmailConfig Email { get; init; } = EmailConfig.Default;

    /// <summary><c>publish.github</c>, used outside GitHub Actions only.</summary>
    public GitHubConfig? GitHub { get; init; }

    /// <summary>The <c>kernel:</c> section; the defaults when absent.</summary>
    public KernelConfig Kernel { get; init; } = KernelConfig.Default;

    /// <summary>The <c>selftests:</c> section; QEMU with the defaults when absent.</summary>
    public SelftestsConfig Selftests { get; init; } = SelftestsConfig.Default;

    /// <summary>The configs a tree is built with: its own override, or the <c>kernel:</c> section's.</summary>
    public IReadOnlyList<KernelBuildConfig> ConfigsFor(TreeConfig? tree) => tree?.Kernel?.Configs ?? Kernel.Configs;

    public TimeSpan TimeoutFor(TreeConfig? tree) => tree?.Kernel?.Timeout ?? Kernel.Timeout;
}

/// <summary>One rule's settings; a null severity keeps the rule's default.</summary>
public sealed record CheckRuleConfig(bool Enabled, Severity? Severity);

/// <summary>The <c>checks:</c> section: the topic's scope globs and per-rule settings by rule id.</summary>
public sealed record ChecksConfig(IReadOnlyList<string> Scope, IReadOnlyDictionary<string, CheckRuleConfig> Rules)
{
    public static readonly ChecksConfig Default = new([], new Dictionary<string, CheckRuleConfig>());

    /// <summary>
    /// The rules hmmci.yml may name under checks.rules, in the order they run and are documented (docs/checks.md);
    /// each is the id of one rule in the checks' catalog.
    /// </summary>
    public static IReadOnlyList<string> RuleIds { get; } =
        ["signed-off-by", "fixes-tag", "base", "no-back-merges", "scope", "published-history", "duplicates", "stale-copy"];

    public CheckRuleConfig Rule(string id) => Rules.GetValueOrDefault(id) ?? new CheckRuleConfig(true, null);
}

/// <summary>Bad input in a config file; the message starts with <c>file:line:col:</c>.</summary>
public sealed class ConfigException(string file, int? line, int? column, string reason)
    : Exception(line is null ? $"{file}: {reason}" : $"{file}:{line}:{column}: {reason}")
{
    public string File { get; } = file;
    public int? Line { get; } = line;
}
