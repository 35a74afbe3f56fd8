using System.Text;
using System.Text.RegularExpressions;

namespace HmmCi.Checks;

/// <summary>
/// The topic's <c>checks.scope</c> globs: '*' and '?' stay within one path component, '**' crosses them,
/// and a glob ending in '/' covers everything below that directory.
/// </summary>
public sealed class ScopeGlob
{
    private readonly Regex[] _globs;

    public ScopeGlob(IEnumerable<string> globs) => _globs = globs.Select(ToRegex).ToArray();

    public bool Contains(string path) => _globs.Any(g => g.IsMatch(path));

    private static Regex ToRegex(string glob)
    {
        var pattern = new StringBuilder("^");
        for (var i = 0; i < glob.Length; i++)
        {
            if (glob[i] == '*' && i + 1 < glob.Length && glob[i + 1] == '*') { pattern.Append(".*"); i++; }
            else if (glob[i] == '*') pattern.Append("[^/]*");
            else if (glob[i] == '?') pattern.Append("[^/]");
            else pattern.Append(Regex.Escape(glob[i].ToString()));
        }
        pattern.Append(glob.EndsWith('/') ? "" : "$");
        return new Regex(pattern.ToString(), RegexOptions.CultureInvariant);
    }
}
