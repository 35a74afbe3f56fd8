using System.Text.RegularExpressions;
using HmmCi.Reports;

namespace HmmCi.Kernel.Diagnostics;

/// <summary>
/// What a build has that its baseline has not, as the 0-day robot marks "new ones prefixed by &gt;&gt;": a diagnostic
/// matches one of the baseline's with the same file, flag and message, whatever line it moved to. Counted as a
/// multiset, so a second identical warning in a file that had one is new. Works for errors as for warnings.
/// </summary>
public static partial class WarningDelta
{
    public static IReadOnlyList<BuildDiagnostic> New(IReadOnlyList<BuildDiagnostic> merged, IReadOnlyList<BuildDiagnostic> baseline)
    {
        var unmatched = baseline.GroupBy(Key).ToDictionary(g => g.Key, g => g.Select(d => d.Line).ToList());
        var isNew = new bool[merged.Count];
        // Diagnostics still on their baseline line match first, so that of two identical ones the moved or added one is new.
        for (var i = 0; i < merged.Count; i++)
        {
            isNew[i] = true;
            if (unmatched.TryGetValue(Key(merged[i]), out var lines) && lines.Remove(merged[i].Line)) isNew[i] = false;
        }
        for (var i = 0; i < merged.Count; i++)
        {
            if (!isNew[i] || !unmatched.TryGetValue(Key(merged[i]), out var lines) || lines.Count == 0) continue;
            lines.RemoveAt(0);
            isNew[i] = false;
        }
        return merged.Where((_, i) => isNew[i]).ToList();
    }

    private static (string, string, string?, string) Key(BuildDiagnostic d) => (d.Severity, d.File, d.Flag, Normalise(d.Message));

    // Line and column numbers in a message ("declared at x.h:12:3", "line 12") move with unrelated edits; typographic
    // quotes depend on the locale the compiler ran in.
    private static string Normalise(string message) =>
        LineNumbers().Replace(message, m => m.Groups["word"].Success ? "line N" : ":N")
            .Replace('\u2018', '\'').Replace('\u2019', '\'');

    [GeneratedRegex(@"(?<word>\bline \d+)|(?::\d+)+\b")]
    private static partial Regex LineNumbers();
}
