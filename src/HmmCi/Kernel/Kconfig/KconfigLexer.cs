using System.Text;
using System.Text.RegularExpressions;

namespace HmmCi.Kernel.Kconfig;

/// <summary>Splits a Kconfig line into tokens and skips what the parser never sees (help text, preprocessor lines), as zconf.l does.</summary>
internal static partial class KconfigLexer
{
    [GeneratedRegex(@"^(?:[A-Za-z0-9_-]+\s*(?::=|\+=|=)|\$\()")]
    private static partial Regex Preprocessor();

    /// <summary>The preprocessor's own lines (scripts/Kconfig.include): variables, and macros such as $(error-if,...).</summary>
    public static bool IsPreprocessorLine(string text) => Preprocessor().IsMatch(text);

    /// <summary>Help text runs while lines are blank or indented at least as deep as its first line (zconf.l).</summary>
    public static int SkipHelp(string[] lines, int helpLine)
    {
        int? indent = null;
        var i = helpLine + 1;
        for (; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            var width = Indent(lines[i]);
            indent ??= width;
            if (width < indent || width == 0) break;
        }
        return i - 1;
    }

    private static int Indent(string line)
    {
        var width = 0;
        foreach (var c in line)
        {
            if (c == ' ') width++;
            else if (c == '\t') width = (width & ~7) + 8;
            else break;
        }
        return width;
    }

    public static string Unquote(string token) =>
        token.Length >= 2 && token[0] is '"' or '\'' && token[^1] == token[0] ? token[1..^1] : token;

    /// <summary>Words, quoted strings (kept with their quotes), $(...) macros as one word, and operators; a # outside quotes ends the line.</summary>
    public static List<string> Tokenize(string text, string file, int line)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c == '#') break;
            if (c is '"' or '\'')
            {
                var sb = new StringBuilder().Append(c);
                var j = i + 1;
                for (; j < text.Length && text[j] != c; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length) j++;
                    sb.Append(text[j]);
                }
                if (j >= text.Length) throw new FormatException($"{file}:{line}: unterminated string");
                tokens.Add(sb.Append(c).ToString());
                i = j + 1;
                continue;
            }
            var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
            if (two is "&&" or "||" or "!=" or "<=" or ">=") { tokens.Add(two); i += 2; continue; }
            if (c is '!' or '(' or ')' or '=' or '<' or '>') { tokens.Add(c.ToString()); i++; continue; }
            var start = i;
            var macro = 0;
            while (i < text.Length)
            {
                if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '(') { macro++; i += 2; continue; }
                if (macro > 0) { if (text[i] == '(') macro++; else if (text[i] == ')') macro--; i++; continue; }
                if (char.IsWhiteSpace(text[i]) || text[i] is '#' or '"' or '\'' or '!' or '(' or ')' or '=' or '<' or '>' or '&' or '|') break;
                i++;
            }
            if (i == start) throw new FormatException($"{file}:{line}: unexpected '{c}'");
            tokens.Add(text[start..i]);
        }
        return tokens;
    }
}
