using System.Reflection;
using System.Text.RegularExpressions;

namespace HmmCi.Build.Engine;

/// <summary>Thrown for bad command-line input; the build exits 2 with its message.</summary>
public sealed class UsageException(string message, string? file = null, int? line = null) : Exception(message)
{
    /// <summary>The file the bad input is in, for annotations.</summary>
    public string? File { get; } = file;
    public int? Line { get; } = line;
}

/// <summary>The command line split into target names and <c>--option value...</c> groups.</summary>
public sealed record CommandLine(IReadOnlyList<string> Targets, IReadOnlyDictionary<string, IReadOnlyList<string>> Options)
{
    public static CommandLine Parse(IEnumerable<string> args)
    {
        var targets = new List<string>();
        var options = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        List<string>? current = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal) || arg == "-h")
            {
                var name = arg == "-h" ? "help" : arg[2..];
                var eq = name.IndexOf('=');
                current = [];
                if (eq >= 0) { current.Add(name[(eq + 1)..]); name = name[..eq]; }
                options[name] = current;
            }
            else if (current is null) targets.Add(arg);
            else current.Add(arg);
        }
        return new CommandLine(targets, options);
    }
}

/// <summary>A <see cref="ParameterAttribute"/> member of the build class.</summary>
public sealed class Parameter(MemberInfo member, ParameterAttribute attribute)
{
    public string Name => member.Name;
    public string Description => attribute.Description;
    public string OptionName => "--" + Regex.Replace(member.Name, "(?<=[a-z0-9])([A-Z])", "-$1").ToLowerInvariant();
    public string EnvironmentName => "HMMCI_" + Regex.Replace(member.Name, "(?<=[a-z0-9])([A-Z])", "_$1").ToUpperInvariant();
    public string ConfigKey => OptionName[2..];
    public Type Type => member is FieldInfo f ? f.FieldType : ((PropertyInfo)member).PropertyType;

    public object? GetValue(object build) => member is FieldInfo f ? f.GetValue(build) : ((PropertyInfo)member).GetValue(build);

    public void SetValue(object build, IReadOnlyList<string> values, string source)
    {
        var value = Convert(values, source);
        if (member is FieldInfo f) f.SetValue(build, value); else ((PropertyInfo)member).SetValue(build, value);
    }

    private object? Convert(IReadOnlyList<string> values, string source)
    {
        var type = Nullable.GetUnderlyingType(Type) ?? Type;
        if (type == typeof(string[])) return values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        if (type == typeof(bool))
        {
            if (values.Count == 0) return true;
            if (values.Count == 1 && bool.TryParse(values[0], out var b)) return b;
            throw new UsageException($"{source}: expected true or false, got '{string.Join(' ', values)}'");
        }
        if (values.Count != 1) throw new UsageException($"{source}: expected one value, got {values.Count}");
        if (type == typeof(string)) return values[0];
        if (type == typeof(int))
            return int.TryParse(values[0], out var i) ? i : throw new UsageException($"{source}: expected a whole number, got '{values[0]}'");
        throw new InvalidOperationException($"parameter {Name} has unsupported type {type.Name}");
    }

    public static IReadOnlyList<Parameter> Of(Type buildType) =>
        buildType.GetMembers(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(m => (Member: m, Attribute: m.GetCustomAttribute<ParameterAttribute>()))
            .Where(x => x.Attribute is not null)
            .Select(x => new Parameter(x.Member, x.Attribute!))
            .ToList();
}

/// <summary>Fills parameters: command line first, then <c>HMMCI_*</c> environment, then the config file.</summary>
public static class ParameterInjection
{
    /// <summary>Injects command-line and environment values; returns the parameters still unset.</summary>
    public static IReadOnlyList<Parameter> FromCommandLineAndEnvironment(
        object build, IReadOnlyList<Parameter> parameters, CommandLine commandLine, Func<string, string?> environment)
    {
        var known = parameters.Select(p => p.OptionName[2..]).Concat(EngineOptions).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var unknown = commandLine.Options.Keys.FirstOrDefault(k => !known.Contains(k));
        if (unknown is not null) throw new UsageException($"unknown parameter --{unknown} (see --help)");

        var unset = new List<Parameter>();
        foreach (var p in parameters)
        {
            if (commandLine.Options.TryGetValue(p.OptionName[2..], out var values))
                p.SetValue(build, values, p.OptionName);
            else if (environment(p.EnvironmentName) is { Length: > 0 } env) // an empty variable is unset, as in shell defaults
                p.SetValue(build, [env], p.EnvironmentName);
            else unset.Add(p);
        }
        return unset;
    }

    /// <summary>Fills the still-unset parameters from the config file's values, keyed by kebab-case name.</summary>
    public static void FromConfig(object build, IEnumerable<Parameter> unset, IReadOnlyDictionary<string, string> values, string source)
    {
        foreach (var p in unset)
            if (values.TryGetValue(p.ConfigKey, out var value))
                p.SetValue(build, [value], $"{source}: parameters.{p.ConfigKey}");
    }

    /// <summary>Options the engine itself reads.</summary>
    public static readonly string[] EngineOptions = ["help", "skip"];
}
