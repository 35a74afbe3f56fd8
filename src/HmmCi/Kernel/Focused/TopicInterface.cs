using System.Text.RegularExpressions;

namespace HmmCi.Kernel.Focused;

/// <summary>An identifier whose declaration the topic removed (or renamed) or changed, and where it was declared.</summary>
public sealed record ChangedIdentifier(string Name, bool Removed, string File)
{
    /// <summary>Why a file that mentions it is compiled, in the report's words.</summary>
    public string Reason => Removed
        ? $"mentions {Name}, which the topic removes or renames ({File})"
        : $"mentions {Name}, whose declaration the topic changes ({File})";
}

/// <summary>
/// What of the kernel's interface a topic's own diff touches: the macros, functions and struct members declared in
/// the headers it changes, and the functions its .c files export (EXPORT_SYMBOL), read from the lines it removes.
/// A declaration that comes back word for word (moved, re-indented) is unchanged; one that comes back different is
/// changed; one that does not come back is removed or renamed.
/// </summary>
public static partial class TopicInterface
{
    /// <param name="diff">The topic's diff against its base (<c>git diff -U0 base head</c>).</param>
    public static IReadOnlyList<ChangedIdentifier> Read(string diff)
    {
        var removed = new Dictionary<string, (string File, HashSet<string> Lines)>();
        var added = new Dictionary<string, HashSet<string>>();
        var exported = new HashSet<string>();
        string? file = null;
        foreach (var raw in diff.Split('\n'))
        {
            if (raw.StartsWith("+++ ", StringComparison.Ordinal))
            {
                file = raw[4..] == "/dev/null" ? file : raw[6..];
                continue;
            }
            if (raw.StartsWith("--- ", StringComparison.Ordinal))
            {
                file = raw[4..] == "/dev/null" ? null : raw[6..];
                continue;
            }
            if (file is null || raw.Length == 0 || raw[0] is not ('-' or '+')) continue;
            var line = raw[1..];
            foreach (var name in Exports(line)) exported.Add(name);
            foreach (var name in Declared(line, file))
            {
                var text = Normalise(line);
                if (raw[0] == '-')
                {
                    if (!removed.TryGetValue(name, out var entry)) removed[name] = entry = (file, []);
                    entry.Lines.Add(text);
                }
                else (added.TryGetValue(name, out var set) ? set : added[name] = []).Add(text);
            }
        }
        var result = new List<ChangedIdentifier>();
        foreach (var (name, (declaredIn, lines)) in removed.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            // In a .c file only what is exported is interface; a static helper's users are all in that file.
            if (declaredIn.EndsWith(".c", StringComparison.Ordinal) && !exported.Contains(name)) continue;
            if (!added.TryGetValue(name, out var back)) result.Add(new ChangedIdentifier(name, Removed: true, declaredIn));
            else if (!lines.SetEquals(back)) result.Add(new ChangedIdentifier(name, Removed: false, declaredIn));
        }
        return result;
    }

    static IEnumerable<string> Exports(string line) => Export().Matches(line).Select(m => m.Groups["name"].Value);

    /// <summary>The names a line declares: a macro, a function at file scope, an exported symbol, a struct member in a header.</summary>
    static IEnumerable<string> Declared(string line, string file)
    {
        var code = StripComment(line);
        if (code.Trim().Length == 0) yield break;
        if (Define().Match(code) is { Success: true } define)
        {
            yield return define.Groups["name"].Value;
            yield break;
        }
        foreach (var name in Exports(code)) yield return name;
        var header = file.EndsWith(".h", StringComparison.Ordinal);
        var topLevel = !char.IsWhiteSpace(code[0]) && code[0] is not ('#' or '}' or '{');
        if (topLevel && Function().Match(code) is { Success: true } function && !Keywords.Contains(function.Groups["name"].Value))
            yield return function.Groups["name"].Value;
        else if (header && !topLevel && Member().Match(code) is { Success: true } member && !Keywords.Contains(member.Groups["type"].Value))
            yield return member.Groups["name"].Value;
    }

    static string StripComment(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.StartsWith('*') || trimmed.StartsWith("/*", StringComparison.Ordinal) || trimmed.StartsWith("//", StringComparison.Ordinal)) return "";
        var slash = line.IndexOf("/*", StringComparison.Ordinal);
        var slashes = line.IndexOf("//", StringComparison.Ordinal);
        var cut = new[] { slash, slashes }.Where(i => i >= 0).DefaultIfEmpty(line.Length).Min();
        return line[..cut].TrimEnd();
    }

    static string Normalise(string line) => Spaces().Replace(StripComment(line).Trim(), " ");

    static readonly HashSet<string> Keywords =
        ["if", "for", "while", "switch", "return", "sizeof", "do", "else", "goto", "case", "break", "continue", "typeof", "__attribute__", "asm", "default"];

    [GeneratedRegex(@"^\s*#\s*define\s+(?<name>[A-Za-z_]\w*)")]
    private static partial Regex Define();

    [GeneratedRegex(@"\bEXPORT_SYMBOL(?:_GPL)?(?:_NS(?:_GPL)?)?\s*\(\s*(?<name>[A-Za-z_]\w*)")]
    private static partial Regex Export();

    // "static inline unsigned int hmm_pfn_to_map_order(unsigned long hmm_pfn)", "int hmm_range_fault(struct hmm_range *range);"
    [GeneratedRegex(@"^[A-Za-z_][\w\s\*]*?\b(?<name>[A-Za-z_]\w*)\s*\(")]
    private static partial Regex Function();

    // "\tunsigned long\t\t*hmm_pfns;", "\tstruct mmu_interval_notifier *notifier;"
    [GeneratedRegex(@"^\s+(?<type>[A-Za-z_]\w*)(?:[\w\s]*?[\s\*])\**\s*(?<name>[A-Za-z_]\w*)\s*(?:\[[^\]]*\])?\s*(?::\s*\d+)?\s*;$")]
    private static partial Regex Member();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
