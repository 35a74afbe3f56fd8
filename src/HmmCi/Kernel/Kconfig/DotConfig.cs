using System.Text;
using System.Text.RegularExpressions;

namespace HmmCi.Kernel.Kconfig;

/// <summary>
/// A config fragment as merge_config.sh reads it: a file, or inline lines from hmmci.yml under a pseudo-file name
/// such as "hmmci.yml:kernel.configs[0].fragments[1]". <see cref="FirstLine"/> is the line its text starts at in
/// that file, so that a diagnostic points at the line the user wrote.
/// </summary>
public sealed record ConfigFragment(string Name, string Text)
{
    public int FirstLine { get; init; } = 1;

    public static ConfigFragment FromFile(string path) => new(path, File.ReadAllText(path));
}

/// <summary>One CONFIG_ line: <see cref="Value"/> is y, m, n (for "# CONFIG_X is not set"), a number, or a string without its quotes.</summary>
public sealed record ConfigAssignment(string Symbol, string Value, bool Quoted, string File, int Line);

/// <summary>Reads .config files and fragments: "CONFIG_X=value" and "# CONFIG_X is not set"; other comments and blank lines are nothing.</summary>
public static partial class DotConfig
{
    [GeneratedRegex(@"^CONFIG_(?<name>[A-Za-z0-9_]+)=(?<value>.*)$")]
    private static partial Regex Set();

    [GeneratedRegex(@"^# CONFIG_(?<name>[A-Za-z0-9_]+) is not set\s*$")]
    private static partial Regex NotSet();

    /// <summary>Every assignment in order; a line that is neither an assignment nor a comment throws a FormatException naming file:line.</summary>
    public static IReadOnlyList<ConfigAssignment> Parse(string text, string file, int firstLine = 1)
    {
        var result = new List<ConfigAssignment>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r').Trim();
            var lineNo = firstLine + i;
            Match m;
            if ((m = NotSet().Match(line)).Success)
                result.Add(new ConfigAssignment(m.Groups["name"].Value, "n", false, file, lineNo));
            else if ((m = Set().Match(line)).Success)
            {
                var value = m.Groups["value"].Value.Trim();
                var quoted = value.StartsWith('"');
                if (quoted && !TryUnquote(value, out value))
                    throw new FormatException($"{file}:{lineNo}: unterminated string in '{line}'");
                result.Add(new ConfigAssignment(m.Groups["name"].Value, value, quoted, file, lineNo));
            }
            else if (line.Length > 0 && !line.StartsWith('#'))
                throw new FormatException($"{file}:{lineNo}: not a CONFIG_ line: '{line}'");
        }
        return result;
    }

    /// <summary>The last value of each symbol, as conf reads a .config.</summary>
    public static IReadOnlyDictionary<string, ConfigAssignment> Values(string text, string file)
    {
        var values = new Dictionary<string, ConfigAssignment>(StringComparer.Ordinal);
        foreach (var a in Parse(text, file)) values[a.Symbol] = a;
        return values;
    }

    private static bool TryUnquote(string value, out string unquoted)
    {
        var sb = new StringBuilder();
        for (var i = 1; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '"')
            {
                unquoted = sb.ToString();
                return value[(i + 1)..].Trim().Length == 0;
            }
            if (c == '\\' && i + 1 < value.Length) c = value[++i];
            sb.Append(c);
        }
        unquoted = "";
        return false;
    }
}
