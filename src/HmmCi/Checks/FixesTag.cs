using System.Text.RegularExpressions;

namespace HmmCi.Checks;

/// <summary>
/// One <c>Fixes:</c> line read the way linux-next's check_fixes reads it, one line at a time (nothing is folded):
/// the line trimmed, an optional leading "commit", at least five hex digits, then the subject, reduced to what is
/// inside the parentheses and then inside matching quotes. The problems are check_fixes' words, in its order:
/// <see cref="Leading"/> are found before the target is looked up, <see cref="Shape"/> after it.
/// </summary>
public sealed partial record FixesTag(string Line, string? Sha, string Subject, IReadOnlyList<string> Leading, IReadOnlyList<string> Shape)
{
    public const string NoSha = "No SHA1 recognised";
    public const string MissingSubject = "missing subject";
    public const string MissingSpace = "missing space between the SHA1 and the subject";
    public const string ShortSha = "SHA1 should be at least 12 digits long";
    public const string NoTrailingParenthesis = "Subject has leading but no trailing parentheses";
    public const string NoTrailingQuote = "Subject has leading but no trailing quotes";

    public static string LeadingWord(string word) => $"leading word '{word}' unexpected";

    /// <summary>Whether a message line is one check_fixes looks at (<c>grep -i '^[[:space:]]*Fixes:'</c>).</summary>
    public static bool IsFixesLine(string line) => FixesLine().IsMatch(line);

    public static FixesTag Parse(string messageLine)
    {
        // `read -r` trims blanks but keeps a CR (a CRLF message); the tag is what follows "Fixes:" and its spaces.
        // The line is quoted without the CR, which the report would otherwise carry.
        var read = messageLine.Trim(' ', '\t', '\n');
        var line = read.TrimEnd('\r');
        var value = FixesLine().Match(read) is { Success: true } m ? m.Groups[1].Value : "";
        var split = ShaAndSubject().Match(value);
        if (!split.Success) return new FixesTag(line, null, "", [NoSha], []);

        var leading = new List<string>();
        if (split.Groups[1].Length > 0) leading.Add(LeadingWord(split.Groups[1].Value));
        var subject = split.Groups[4].Value;
        if (subject.Length == 0) leading.Add(MissingSubject);
        else if (split.Groups[3].Length == 0) leading.Add(MissingSpace);

        var shape = new List<string>();
        var sha = split.Groups[2].Value;
        if (sha.Length < 12) shape.Add(ShortSha);
        if (InParentheses().Match(subject) is { Success: true } closed) subject = closed.Groups[1].Value;
        else if (subject.StartsWith('('))
        {
            subject = subject[1..];
            shape.Add(NoTrailingParenthesis);
        }
        if (InDoubleQuotes().Match(subject) is { Success: true } dq) subject = dq.Groups[1].Value;
        else if (InSingleQuotes().Match(subject) is { Success: true } sq) subject = sq.Groups[1].Value;
        else if (subject.Length > 0 && subject[0] is '"' or '\'' or '\u201C' or '\u2018')
        {
            subject = subject[1..];
            shape.Add(NoTrailingQuote);
        }
        return new FixesTag(line, sha, Strip(subject), leading, shape);
    }

    /// <summary>
    /// check_fixes' comparison: both sides stripped of surrounding space; "..." at the end, at the start or as
    /// " ... " in the middle stands for the part of the target's subject left out; then the tag's subject must be
    /// the start of the target's.
    /// </summary>
    public static bool SubjectMatches(string tagSubject, string targetSubject)
    {
        var mine = Strip(tagSubject);
        var target = Strip(targetSubject);
        var middle = mine.IndexOf(" ... ", StringComparison.Ordinal);
        if (mine.EndsWith("...", StringComparison.Ordinal))
        {
            mine = mine[..^3];
            target = target[..Math.Min(mine.Length, target.Length)];
        }
        else if (mine.StartsWith("...", StringComparison.Ordinal))
        {
            mine = mine[3..];
            target = mine.Length == 0 ? target : mine.Length > target.Length ? "" : target[^mine.Length..];
        }
        else if (middle >= 0)
        {
            var head = mine[..mine.LastIndexOf(" ... ", StringComparison.Ordinal)];
            var tail = mine[(middle + 5)..];
            mine = $"{head} {tail}";
            var targetTail = tail.Length == 0 ? target : tail.Length > target.Length ? "" : target[^tail.Length..];
            target = $"{target[..Math.Min(head.Length, target.Length)]} {targetTail}";
        }
        mine = Strip(mine);
        target = Strip(target);
        return target.StartsWith(mine, StringComparison.Ordinal);
    }

    private static string Strip(string text) => text.Trim(' ', '\t', '\n', '\r', '\v', '\f');

    [GeneratedRegex(@"^[ \t\n\r\v\f]*[Ff][Ii][Xx][Ee][Ss]:[ \t\n\r\v\f]*(.*)$", RegexOptions.Singleline)]
    private static partial Regex FixesLine();

    [GeneratedRegex(@"^([Cc][Oo][Mm][Mm][Ii][Tt])?[ \t\n\r\v\f]*([0-9A-Fa-f]{5,})([ \t\n\r\v\f]*)(.*)$", RegexOptions.Singleline)]
    private static partial Regex ShaAndSubject();

    [GeneratedRegex(@"^\((.*)\)", RegexOptions.Singleline)]
    private static partial Regex InParentheses();

    [GeneratedRegex("^[\"\u201C](.*)[\"\u201D]$", RegexOptions.Singleline)]
    private static partial Regex InDoubleQuotes();

    [GeneratedRegex("^['\u2018](.*)['\u2019]$", RegexOptions.Singleline)]
    private static partial Regex InSingleQuotes();
}
