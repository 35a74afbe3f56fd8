using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HmmCi.Config;

/// <summary>Reads hmmci.yml strictly; see docs/config.md.</summary>
public static partial class ConfigLoader
{
    private static readonly string[] RootKeys = ["topic", "mainline", "trees", "sample", "parameters", "checks", "kernel", "selftests", "report", "publish"];
    private static readonly string[] NamedTreeKeys = ["name", "url", "branch"];
    private static readonly string[] DownstreamTreeKeys = ["name", "url", "branch", "kernel"];
    private static readonly string[] MainlineKeys = ["url", "branch"];
    private static readonly string[] SampleKeys = ["script", "output"];
    private static readonly string[] ChecksKeys = ["scope", "rules"];
    private static readonly string[] RuleKeys = ["enabled", "severity"];

    public static HmmCiConfig Load(string path, IReadOnlyCollection<string>? knownParameters = null)
    {
        if (!File.Exists(path)) throw new ConfigException(path, null, null, "config file not found");
        return Parse(File.ReadAllText(path), path, knownParameters);
    }

    public static HmmCiConfig Parse(string yaml, string path, IReadOnlyCollection<string>? knownParameters = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException(path, (int)e.Start.Line, (int)e.Start.Column, e.InnerException?.Message ?? e.Message);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up without a position on some truncated flow collections.
            var lines = yaml.Split('\n');
            throw new ConfigException(path, lines.Length, lines[^1].Length + 1, "unexpected end of file (an unclosed '{' or '['?)");
        }
        if (stream.Documents.Count == 0) throw new ConfigException(path, 1, 1, "empty config (expected topic, mainline and trees)");
        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new ConfigException(path, (int)second.Line, (int)second.Column, "more than one YAML document; hmmci.yml holds one");
        }

        var baseDirectory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        var root = new YamlSection(path, stream.Documents[0].RootNode, "", RootKeys);

        var topic = ReadTree(root.Section("topic", NamedTreeKeys), baseDirectory, name: null);
        var mainline = ReadTree(root.Section("mainline", MainlineKeys), baseDirectory, name: "mainline");
        var trees = new List<TreeConfig>();
        var seen = new HashSet<string> { topic.Name, mainline.Name };
        foreach (var (node, itemPath) in root.List("trees"))
        {
            var section = new YamlSection(path, node, itemPath, DownstreamTreeKeys);
            var tree = ReadTree(section, baseDirectory, name: null) with { Kernel = KernelSection.ReadTreeOverride(section.OptionalSection("kernel", KernelSection.TreeKeys), baseDirectory) };
            if (!seen.Add(tree.Name))
                throw section.Error("name", $"{itemPath}.name: duplicate tree name '{tree.Name}' (every tree, the topic and 'mainline' need distinct names)");
            trees.Add(tree);
        }
        if (trees.Count == 0) throw root.Error("trees", "trees: name at least one downstream tree");

        var sampleSection = root.OptionalSection("sample", SampleKeys);
        var sample = sampleSection is null ? null : new SampleConfig(
            System.IO.Path.GetFullPath(sampleSection.String("script"), baseDirectory),
            System.IO.Path.GetFullPath(sampleSection.String("output"), baseDirectory));

        var parameters = root.OptionalSection("parameters", knownParameters);
        return new HmmCiConfig(path, topic, mainline, trees, sample,
            parameters?.Keys.ToDictionary(k => k, parameters.ScalarOrList) ?? new Dictionary<string, string>())
        {
            Checks = ReadChecks(root.OptionalSection("checks", ChecksKeys)),
            Kernel = KernelSection.Read(root.OptionalSection("kernel", KernelSection.Keys), baseDirectory),
            Email = ReportConfigReader.ReadEmail(root.OptionalSection("report", ReportConfigReader.ReportSectionKeys)),
            GitHub = ReportConfigReader.ReadGitHub(root.OptionalSection("publish", ReportConfigReader.PublishSectionKeys)),
            Selftests = ReadSelftests(root.OptionalSection("selftests", SelftestsConfig.Keys)),
        };
    }

    private static ChecksConfig ReadChecks(YamlSection? section)
    {
        if (section is null) return ChecksConfig.Default;
        var scope = new List<string>();
        if (section.Has("scope"))
            foreach (var (node, itemPath) in section.List("scope"))
            {
                var glob = node is YamlScalarNode { Value: { Length: > 0 } s } ? s : throw section.Error(node, $"{itemPath}: expected a path glob");
                if (glob.StartsWith('/') || glob.Contains('\\'))
                    throw section.Error(node, $"{itemPath}: '{glob}' must be a path relative to the top of the tree, with '/' separators");
                scope.Add(glob);
            }

        var rules = new Dictionary<string, CheckRuleConfig>();
        var rulesSection = section.OptionalSection("rules", ChecksConfig.RuleIds);
        foreach (var id in rulesSection?.Keys ?? [])
        {
            var rule = rulesSection!.Section(id, RuleKeys);
            var enabled = rule.OptionalString("enabled") switch
            {
                null or "true" => true,
                "false" => false,
                var other => throw rule.Error("enabled", $"{rule.Path}.enabled: expected true or false, got '{other}'"),
            };
            var severity = rule.OptionalString("severity") switch
            {
                null => (Severity?)null,
                "error" => Severity.Error,
                "warning" => Severity.Warning,
                var other => throw rule.Error("severity", $"{rule.Path}.severity: expected error or warning, got '{other}'"),
            };
            rules[id] = new CheckRuleConfig(enabled, severity);
        }
        return new ChecksConfig(scope, rules);
    }

    private static SelftestsConfig ReadSelftests(YamlSection? section)
    {
        if (section is null) return SelftestsConfig.Default;
        var config = SelftestsConfig.Default;
        var runner = section.OptionalString("runner") switch
        {
            null or "qemu" => SelftestRunnerKind.Qemu,
            "command" => SelftestRunnerKind.Command,
            var other => throw section.Error("runner", $"selftests.runner: expected qemu or command, got '{other}'"),
        };
        var command = section.OptionalString("command");
        if (runner == SelftestRunnerKind.Command && command is null)
            throw section.Error("runner", "selftests.command: runner: command needs the shell command to run");
        if (runner == SelftestRunnerKind.Qemu && command is not null)
            throw section.Error("command", "selftests.command: only used with runner: command");
        TimeSpan Duration(string key, TimeSpan fallback, bool zeroAllowed)
        {
            if (section.OptionalString(key) is not { } text) return fallback;
            var value = SelftestsConfig.ParseDuration(text)
                ?? throw section.Error(key, $"selftests.{key}: expected a duration such as 90s, 15m or 1h, got '{text}'");
            if (value == TimeSpan.Zero && !zeroAllowed) throw section.Error(key, $"selftests.{key}: must be more than 0");
            return value;
        }
        var parallel = section.OptionalString("parallel") is { } p
            ? int.TryParse(p, out var n) && n > 0 ? n : throw section.Error("parallel", $"selftests.parallel: expected a positive number, got '{p}'")
            : config.Parallel;
        var harnessFixes = section.OptionalString("harnessFixes") switch
        {
            null or "true" => true,
            "false" => false,
            var other => throw section.Error("harnessFixes", $"selftests.harnessFixes: expected true or false, got '{other}'"),
        };
        return config with
        {
            Runner = runner,
            Command = command,
            TestTimeout = Duration("testTimeout", config.TestTimeout, zeroAllowed: false),
            RunTimeout = Duration("runTimeout", config.RunTimeout, zeroAllowed: false),
            Parallel = parallel,
            BisectBudget = Duration("bisectBudget", config.BisectBudget, zeroAllowed: true),
            HarnessFixes = harnessFixes,
        };
    }

    private static TreeConfig ReadTree(YamlSection section, string baseDirectory, string? name)
    {
        name ??= section.String("name");
        // The name becomes a git remote and ref component, so git's ref-name rules apply too.
        if (!TreeName().IsMatch(name) || name.Contains("..") || name.EndsWith('.') || name.EndsWith(".lock", StringComparison.Ordinal))
            throw section.Error("name", $"{section.Path}.name: '{name}' is not a valid tree name (letters, digits, '.', '_', '-')");
        var branch = section.String("branch");
        if (!BranchName().IsMatch(branch) || branch.Contains("..") || branch.EndsWith(".lock", StringComparison.Ordinal))
            throw section.Error("branch", $"{section.Path}.branch: '{branch}' is not a valid branch name");
        return new TreeConfig(name, ResolveUrl(section, section.String("url"), baseDirectory), branch);
    }

    private static string ResolveUrl(YamlSection section, string url, string baseDirectory)
    {
        var scheme = Scheme().Match(url);
        if (!scheme.Success) return System.IO.Path.GetFullPath(url, baseDirectory);
        return scheme.Groups[1].Value is "https" or "http" or "git" or "ssh" or "file"
            ? url
            : throw section.Error("url", $"{section.Path}.url: unsupported URL scheme '{scheme.Groups[1].Value}://' (use https://, git://, ssh://, file:// or a local path)");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex TreeName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._/+-]*$")]
    private static partial Regex BranchName();

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*)://")]
    private static partial Regex Scheme();
}
