using YamlDotNet.RepresentationModel;

namespace HmmCi.Config;

/// <summary>
/// One mapping of a YAML file, read strictly: every key must be expected, and every error names
/// <c>file:line:col</c> and the key's dotted path.
/// </summary>
internal sealed class YamlSection
{
    private readonly string _file;
    private readonly YamlMappingNode _node;
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    public YamlSection(string file, YamlNode node, string path, IReadOnlyCollection<string>? allowedKeys)
    {
        _file = file;
        Path = path;
        _node = node as YamlMappingNode ?? throw Error(node, $"{Describe(path)}expected a mapping, got {Kind(node)}");
        foreach (var (keyNode, value) in _node.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { } k } ? k : throw Error(keyNode, $"{Describe(path)}keys must be plain strings");
            if (allowedKeys is not null && !allowedKeys.Contains(key))
                throw Error(keyNode, $"unknown key '{Join(path, key)}'{Suggest(key, allowedKeys)}");
            _values[key] = value;
        }
    }

    public string Path { get; }
    public string File => _file;
    public IEnumerable<string> Keys => _values.Keys;

    public bool Has(string key) => _values.ContainsKey(key);

    public YamlSection Section(string key, IReadOnlyCollection<string>? allowedKeys) =>
        new(_file, Required(key), Join(Path, key), allowedKeys);

    public YamlSection? OptionalSection(string key, IReadOnlyCollection<string>? allowedKeys) =>
        Has(key) ? Section(key, allowedKeys) : null;

    public string String(string key) => Scalar(Required(key), Join(Path, key));

    public string? OptionalString(string key) => _values.TryGetValue(key, out var v) ? Scalar(v, Join(Path, key)) : null;

    /// <summary>true or false; null when the key is absent.</summary>
    public bool? OptionalBool(string key) => OptionalString(key) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var other => throw Error(key, $"{Join(Path, key)}: expected true or false, got '{other}'"),
    };

    /// <summary>A scalar, or a list of scalars joined with commas (for list-valued parameters).</summary>
    public string ScalarOrList(string key)
    {
        var node = Required(key);
        return node is YamlSequenceNode seq
            ? string.Join(",", seq.Children.Select((c, i) => Scalar(c, $"{Join(Path, key)}[{i}]")))
            : Scalar(node, Join(Path, key));
    }

    public IReadOnlyList<(YamlNode Node, string Path)> List(string key)
    {
        var node = Required(key);
        if (node is not YamlSequenceNode seq) throw Error(node, $"{Join(Path, key)}: expected a list, got {Kind(node)}");
        return seq.Children.Select((c, i) => (c, $"{Join(Path, key)}[{i}]")).ToList();
    }

    /// <summary>The node of a key, for errors about its value.</summary>
    public YamlNode Node(string key) => Required(key);

    public ConfigException Error(string key, string message) => Error(_values.GetValueOrDefault(key) ?? _node, message);

    public ConfigException Error(YamlNode node, string message) => new(_file, (int)node.Start.Line, (int)node.Start.Column, message);

    private YamlNode Required(string key) =>
        _values.TryGetValue(key, out var value) ? value : throw Error(_node, $"missing key '{Join(Path, key)}'");

    private string Scalar(YamlNode node, string path) => node switch
    {
        YamlScalarNode { Value: { Length: > 0 } s } => s,
        YamlScalarNode => throw Error(node, $"{path}: must not be empty"),
        _ => throw Error(node, $"{path}: expected a string, got {Kind(node)}"),
    };

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Value: null or "" } => "nothing",
        _ => "a string",
    };

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
    private static string Describe(string path) => path.Length == 0 ? "" : $"{path}: ";

    private static string Suggest(string key, IReadOnlyCollection<string> allowed)
    {
        var best = allowed.MinBy(a => Distance(a, key));
        return best is not null && Distance(best, key) <= 2
            ? $" (did you mean '{best}'?)"
            : $" (expected one of: {string.Join(", ", allowed)})";
    }

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
