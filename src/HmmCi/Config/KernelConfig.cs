namespace HmmCi.Config;

/// <summary>The <c>kernel:</c> section: how the Build stage builds, and what its results mean for the verdict.</summary>
public sealed class KernelConfig
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(60);

    // After DefaultTimeout: static fields are set in order.
    public static readonly KernelConfig Default = new();

    /// <summary>The values <see cref="Runtime"/> takes.</summary>
    public static readonly IReadOnlyList<string> Runtimes = ["auto", "podman", "docker", "host"];

    /// <summary>
    /// Where builds run: <c>podman</c> or <c>docker</c> containers, or <c>host</c> (the machine's own toolchain,
    /// only when asked); <c>auto</c> takes a container engine that can really start containers.
    /// </summary>
    public string Runtime { get; init; } = "auto";

    /// <summary>Whether a warning the merged build has and its baseline has not blocks the verdict (error) or is listed (warning).</summary>
    public Severity NewWarnings { get; init; } = Severity.Warning;

    /// <summary>Per build; <c>trees[].kernel.timeout</c> overrides it for a tree.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>The configs every tree, the topic and the merge window are built with (<c>trees[].kernel.configs</c> replaces them for a tree).</summary>
    public IReadOnlyList<KernelBuildConfig> Configs { get; init; } = [KernelBuildConfig.Default];

    /// <summary>The <c>kernel.focused:</c> part: the semantic-conflict compile.</summary>
    public FocusedConfig Focused { get; init; } = FocusedConfig.Default;
}

/// <summary>
/// <c>kernel.focused:</c>: the allmodconfig compile of every file what the topic changed can break, on each merged tree
/// and its baseline. <see cref="Configs"/> are make config targets (allmodconfig for x86_64 by default); none turns it off.
/// </summary>
public sealed record FocusedConfig(IReadOnlyList<string> Configs, int MaxFiles, bool BlameWarnings, TimeSpan Timeout)
{
    public static readonly FocusedConfig Default = new(["allmodconfig"], MaxFiles: 500, BlameWarnings: false, TimeSpan.FromMinutes(5));
}

/// <summary>
/// A kconfig fragment: a file, the bundled <c>hmm-selftests</c>, or inline <c>CONFIG_X=y</c> lines of hmmci.yml.
/// <see cref="File"/> and <see cref="FirstLine"/> say where its first line is, so an option kconfig dropped is
/// reported at the fragment's own line.
/// </summary>
public sealed record KconfigFragment(string Name, string Content, string File, int FirstLine);

/// <summary>
/// One named kernel config: a base (a make target such as tinyconfig, or a .config file) plus fragments, merged with
/// scripts/kconfig/merge_config.sh and completed by <c>make olddefconfig</c>.
/// </summary>
public sealed record KernelBuildConfig(string Name, string Base, IReadOnlyList<KconfigFragment> Fragments, bool Boot)
{
    /// <summary>The make targets a base may name; anything else is a file.</summary>
    public static readonly string[] BaseTargets = ["tinyconfig", "defconfig", "allmodconfig", "allnoconfig"];

    /// <summary>The base's .config when the base is a file (absolute path); null for a make target.</summary>
    public string? BaseFile { get; init; }

    public static readonly KernelBuildConfig Default = new("tinyconfig+hmm-selftests", "tinyconfig", [BundledFragments.HmmSelftests], Boot: true);
}

/// <summary>The fragments HmmCi ships (src/HmmCi/Kernel/Configs), by the name hmmci.yml uses for them.</summary>
public static class BundledFragments
{
    /// <summary>A bootable x86_64 kernel for QEMU (serial console, initramfs, devtmpfs) with CONFIG_TEST_HMM=y and what it needs.</summary>
    public static readonly KconfigFragment HmmSelftests = Load("hmm-selftests");

    public static KconfigFragment? Find(string name) => name == HmmSelftests.Name ? HmmSelftests : null;

    static KconfigFragment Load(string name)
    {
        using var stream = typeof(BundledFragments).Assembly.GetManifestResourceStream($"HmmCi.Kernel.Configs.{name}.config")
            ?? throw new InvalidOperationException($"bundled fragment {name} missing from the assembly");
        using var reader = new StreamReader(stream);
        return new KconfigFragment(name, reader.ReadToEnd(), $"{name}.config", 1);
    }
}

/// <summary>A tree's <c>kernel:</c> override; null members keep the <c>kernel:</c> section's.</summary>
public sealed record TreeKernelConfig(IReadOnlyList<KernelBuildConfig>? Configs, TimeSpan? Timeout);
