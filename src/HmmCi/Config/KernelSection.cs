using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace HmmCi.Config;

/// <summary>Reads <c>kernel:</c> and <c>trees[].kernel</c>; see docs/config.md.</summary>
internal static partial class KernelSection
{
    public static readonly string[] Keys = ["runtime", "newWarnings", "timeout", "configs", "focused"];
    private static readonly string[] FocusedKeys = ["configs", "maxFiles", "blameWarnings", "timeout"];
    public static readonly string[] TreeKeys = ["configs", "timeout"];
    private static readonly string[] ConfigKeys = ["name", "base", "fragments", "boot"];

    public static KernelConfig Read(YamlSection? section, string baseDirectory)
    {
        if (section is null) return KernelConfig.Default;
        var runtime = section.OptionalString("runtime") ?? KernelConfig.Default.Runtime;
        if (!KernelConfig.Runtimes.Contains(runtime))
            throw section.Error("runtime", $"{section.Path}.runtime: expected {string.Join(", ", KernelConfig.Runtimes)}, got '{runtime}'");
        var newWarnings = section.OptionalString("newWarnings") switch
        {
            null => KernelConfig.Default.NewWarnings,
            "error" => Severity.Error,
            "warning" => Severity.Warning,
            var other => throw section.Error("newWarnings", $"{section.Path}.newWarnings: expected error or warning, got '{other}'"),
        };
        return new KernelConfig
        {
            Runtime = runtime,
            NewWarnings = newWarnings,
            Timeout = Timeout(section) ?? KernelConfig.DefaultTimeout,
            Configs = Configs(section, baseDirectory) ?? KernelConfig.Default.Configs,
            Focused = Focused(section.OptionalSection("focused", FocusedKeys)),
        };
    }

    static FocusedConfig Focused(YamlSection? section)
    {
        if (section is null) return FocusedConfig.Default;
        var configs = section.Has("configs") ? section.List("configs").Select(c => FocusedTarget(section, c.Node, c.Path)).ToList() : FocusedConfig.Default.Configs;
        var maxFiles = FocusedConfig.Default.MaxFiles;
        if (section.OptionalString("maxFiles") is { } text && (!int.TryParse(text, out maxFiles) || maxFiles < 1))
            throw section.Error("maxFiles", $"{section.Path}.maxFiles: expected a number of files above 0, got '{text}'");
        return new FocusedConfig(configs, maxFiles, section.OptionalBool("blameWarnings") ?? FocusedConfig.Default.BlameWarnings,
            Timeout(section) ?? FocusedConfig.Default.Timeout);
    }

    static string FocusedTarget(YamlSection section, YamlNode node, string path) =>
        node is YamlScalarNode { Value: { } value } && KernelBuildConfig.BaseTargets.Contains(value) ? value
            : throw section.Error(node, $"{path}: expected one of {string.Join(", ", KernelBuildConfig.BaseTargets)}");

    public static TreeKernelConfig? ReadTreeOverride(YamlSection? section, string baseDirectory) =>
        section is null ? null : new TreeKernelConfig(Configs(section, baseDirectory), Timeout(section));

    private static TimeSpan? Timeout(YamlSection section)
    {
        if (section.OptionalString("timeout") is not { } text) return null;
        var match = Duration().Match(text);
        if (!match.Success || match.Length == 0 || !(match.Groups[1].Success || match.Groups[2].Success || match.Groups[3].Success))
            throw section.Error("timeout", $"{section.Path}.timeout: expected a duration such as 90s, 45m or 1h30m, got '{text}'");
        int Part(int group) => match.Groups[group].Success ? int.Parse(match.Groups[group].Value) : 0;
        var timeout = new TimeSpan(Part(1), Part(2), Part(3));
        return timeout > TimeSpan.Zero ? timeout : throw section.Error("timeout", $"{section.Path}.timeout: must be longer than 0s");
    }

    private static List<KernelBuildConfig>? Configs(YamlSection section, string baseDirectory)
    {
        if (!section.Has("configs")) return null;
        var configs = new List<KernelBuildConfig>();
        foreach (var (node, itemPath) in section.List("configs"))
        {
            var config = new YamlSection(section.File, node, itemPath, ConfigKeys);
            var name = config.String("name");
            if (!ConfigName().IsMatch(name))
                throw config.Error("name", $"{itemPath}.name: '{name}' is not a valid config name (letters, digits, '.', '_', '+', '-'; it names a build folder)");
            if (configs.Any(c => c.Name == name))
                throw config.Error("name", $"{itemPath}.name: duplicate config name '{name}'");
            var baseName = config.String("base");
            string? baseFile = null;
            if (!KernelBuildConfig.BaseTargets.Contains(baseName))
            {
                baseFile = Path.GetFullPath(baseName, baseDirectory);
                if (!File.Exists(baseFile))
                    throw config.Error("base", $"{itemPath}.base: '{baseName}' is neither {string.Join(", ", KernelBuildConfig.BaseTargets)} nor an existing .config file (relative to {Path.GetFileName(section.File)})");
            }
            var fragments = config.Has("fragments") ? config.List("fragments").Select(f => Fragment(config, f.Node, f.Path, baseDirectory)).ToList() : [];
            configs.Add(new KernelBuildConfig(name, baseName, fragments, config.OptionalBool("boot") ?? false) { BaseFile = baseFile });
        }
        return configs.Count > 0 ? configs : throw section.Error("configs", $"{section.Path}.configs: name at least one config (or leave the key out for the default)");
    }

    /// <summary>A bundled fragment's name, a file relative to the config, or inline <c>CONFIG_X=...</c> lines.</summary>
    private static KconfigFragment Fragment(YamlSection config, YamlNode node, string itemPath, string baseDirectory)
    {
        if (node is not YamlScalarNode { Value: { Length: > 0 } value } scalar)
            throw config.Error(node, $"{itemPath}: expected a fragment file, 'hmm-selftests' or CONFIG_X=y lines");
        var lines = value.Split('\n').Select(l => l.Trim()).ToList();
        if (lines.Any(l => KconfigLine().IsMatch(l)))
        {
            var bad = lines.FindIndex(l => l.Length > 0 && !KconfigLine().IsMatch(l) && !l.StartsWith('#'));
            if (bad >= 0)
                throw config.Error(node, $"{itemPath}: '{lines[bad]}' is not a kconfig line (expected CONFIG_X=value or '# CONFIG_X is not set')");
            // A literal block (|) starts on the line after its indicator.
            var first = (int)node.Start.Line + (scalar.Style is YamlDotNet.Core.ScalarStyle.Literal or YamlDotNet.Core.ScalarStyle.Folded ? 1 : 0);
            return new KconfigFragment(itemPath, string.Join("\n", lines) + "\n", config.File, first);
        }
        if (BundledFragments.Find(value) is { } bundled) return bundled;
        var file = Path.GetFullPath(value, baseDirectory);
        if (!File.Exists(file))
            throw config.Error(node, $"{itemPath}: fragment '{value}' not found (a file relative to {Path.GetFileName(config.File)}, '{BundledFragments.HmmSelftests.Name}', or CONFIG_X=y lines)");
        return new KconfigFragment(value, File.ReadAllText(file), value, 1);
    }

    [GeneratedRegex(@"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")]
    private static partial Regex Duration();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._+-]*$")]
    private static partial Regex ConfigName();

    [GeneratedRegex(@"^(CONFIG_[A-Za-z0-9_]+=.*|# CONFIG_[A-Za-z0-9_]+ is not set)$")]
    private static partial Regex KconfigLine();
}
