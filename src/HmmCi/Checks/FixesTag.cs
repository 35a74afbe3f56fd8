using System.Text.RegularExpressions;

namespace HmmCi.Checks;

/// <summary>
/// A <c>Fixes:</c> trailer read the way linux-next's check_fixes reads it: an optional "commit", at least five
/// hex digits, then the subject in parentheses and quotes. <see cref="Problems"/> holds what is wrong with the
/// tag's form, in check_fixes' words; problems with the target are the rule's to find.
/// </summary>
public sealed partial record FixesTag(string Line, string? Sha, string? Subject, IReadOnlyList<string> Problems)
{
    public const string NoSha = "No SHA1 recognised";
    public const string ShortSha = "SHA1 should be at least 12 digits long";
    public const string MissingSpace = "missing space between the SHA1 and the subject";
    public const string MissingSubject = "Subject is missing (the form is Fixes: <sha> (\"<subject>\"))";
    public const string NoTrailingParenthesis = "Subject has leading but no trailing parentheses";
    public const string NoTrailingQuote = "Subject has leading but no trailing quotes";

    public static FixesTag Parse(string value)
    {
        var line = $"Fixes: {value}";
        var match = ShaAndSubject().Match(value.Trim());
        if (!match.Success) return new FixesTag(line, null, null, [NoSha]);

        var sha = match.Groups[1].Value.ToLowerInvariant();
        var problems = new List<string>();
        if (sha.Length < 12) problems.Add(ShortSha);
        var subject = match.Groups[3].Value;
        if (subject.Length > 0 && match.Groups[2].Length == 0) problems.Add(MissingSpace);

        if (subject.StartsWith('('))
        {
            var close = subject.LastIndexOf(')');
            if (close > 0) subject = subject[1..close];
            else
            {
                subject = subject[1..];
                problems.Add(NoTrailingParenthesis);
            }
        }
        // Straight and typographic quotes, matched in pairs as check_fixes does.
        if (subject.Length >= 2 && subject[0] is '"' or '\u201C' && subject[^1] is '"' or '\u201D') subject = subject[1..^1];
        else if (subject.Length >= 2 && subject[0] is '\'' or '\u2018' && subject[^1] is '\'' or '\u2019') subject = subject[1..^1];
        else if (subject.Length > 0 && subject[0] is '"' or '\'' or '\u201C' or '\u2018')
        {
            subject = subject[1..];
            problems.Add(NoTrailingQuote);
        }
        subject = Squeeze(subject);
        if (subject.Length == 0) problems.Add(MissingSubject);
        return new FixesTag(line, sha, subject.Length == 0 ? null : subject, problems);
    }

    /// <summary>
    /// check_fixes' comparison: whitespace squeezed, and the tag's subject may be the start of the target's
    /// (a subject cut short with "..." counts as its start).
    /// </summary>
    public static bool SubjectMatches(string tagSubject, string targetSubject)
    {
        var mine = Squeeze(tagSubject);
        if (mine.EndsWith("...", StringComparison.Ordinal)) mine = Squeeze(mine[..^3]);
        return Squeeze(targetSubject).StartsWith(mine, StringComparison.Ordinal);
    }

    private static string Squeeze(string text) => WhiteSpace().Replace(text.Trim(), " ");

    [GeneratedRegex(@"^(?:commit)?\s*([0-9a-fA-F]{5,})(\s*)(.*)$", RegexOptions.IgnoreCase)]
    private static partial Regex ShaAndSubject();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
