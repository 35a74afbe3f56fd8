using System.Text;
using System.Text.RegularExpressions;

namespace HmmCi.Reports.Email;

/// <summary>Wraps prose at 72 columns as mail is written, never inside a commit citation sha12 ("subject").</summary>
public static partial class Prose
{
    public const int Width = 72;

    /// <summary>"a", "a and b", "a, b and c".</summary>
    public static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list[..^1]) + " and " + list[^1];
    }

    public static string Wrap(string text, int width = Width)
    {
        var output = new StringBuilder();
        foreach (var paragraph in text.Split('\n'))
        {
            var line = new StringBuilder();
            foreach (var word in Words(paragraph))
            {
                if (line.Length > 0 && line.Length + 1 + word.Length > width)
                {
                    output.Append(line).Append('\n');
                    line.Clear();
                }
                if (line.Length > 0) line.Append(' ');
                line.Append(word);
            }
            output.Append(line).Append('\n');
        }
        return output.ToString().TrimEnd('\n');
    }

    /// <summary>Words split at spaces, a citation kept whole (a subject has spaces of its own).</summary>
    private static IEnumerable<string> Words(string paragraph)
    {
        var at = 0;
        foreach (Match citation in Citation().Matches(paragraph))
        {
            foreach (var w in Split(paragraph[at..citation.Index])) yield return w;
            // Punctuation glued to the citation ("...")." stays with it.
            var end = citation.Index + citation.Length;
            while (end < paragraph.Length && paragraph[end] != ' ') end++;
            yield return paragraph[citation.Index..end];
            at = end;
        }
        foreach (var w in Split(paragraph[at..])) yield return w;
    }

    private static IEnumerable<string> Split(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [GeneratedRegex("""\b[0-9a-f]{12} \("[^\n]*?"\)""")]
    private static partial Regex Citation();
}
