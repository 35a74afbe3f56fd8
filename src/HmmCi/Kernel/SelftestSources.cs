using System.Text.RegularExpressions;

namespace HmmCi.Kernel;

/// <summary>The copy hmm-tests is built from: where its source is in the copy, and the fixes applied to the copy.</summary>
public sealed record SelftestCopy(string Source, IReadOnlyList<string> HarnessFixes);

/// <summary>
/// hmm-tests is built from a copy of the tree's selftest sources (tools/testing/selftests/mm, or vm before 6.3, and
/// the kselftest headers), so that a harness fix never touches the tree under test.
/// </summary>
public static partial class SelftestSources
{
    /// <summary>
    /// The 6.1 harness's <c>__bail()</c> longjmps out of a failed ASSERT without clearing <c>_metadata->trigger</c>,
    /// so the fixture's teardown bails again and floods the console (samples/README.md); the fix clears it first.
    /// </summary>
    public const string TriggerFix = "kselftest-harness-trigger";

    static readonly string[] Folders = ["mm", "vm"];

    /// <summary>tools/testing/selftests/{mm,vm}/hmm-tests.c relative to the tree, or null when the tree has none.</summary>
    public static string? Find(string tree) =>
        Folders.Select(f => $"tools/testing/selftests/{f}/hmm-tests.c").FirstOrDefault(p => File.Exists(Path.Combine(tree, p)));

    /// <summary>Copies the selftest folder and the kselftest headers into <paramref name="destination"/> and applies the fixes there.</summary>
    public static SelftestCopy? Copy(string tree, string destination, bool applyFixes)
    {
        if (Find(tree) is not { } source) return null;
        if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
        var selftests = Path.Combine(tree, "tools/testing/selftests");
        var folder = Path.GetDirectoryName(source)!;
        BuildCache.CopyFolder(Path.Combine(tree, folder), Path.Combine(destination, Path.GetFileName(folder)));
        foreach (var header in Directory.GetFiles(selftests, "*.h"))
            File.Copy(header, Path.Combine(destination, Path.GetFileName(header)));
        var fixes = new List<string>();
        var harness = Path.Combine(destination, "kselftest_harness.h");
        if (applyFixes && File.Exists(harness))
        {
            var text = File.ReadAllText(harness);
            var fixedText = FixTrigger(text);
            if (fixedText != text)
            {
                File.WriteAllText(harness, fixedText);
                fixes.Add(TriggerFix);
            }
        }
        return new SelftestCopy(Path.Combine(Path.GetFileName(folder), "hmm-tests.c"), fixes);
    }

    /// <summary>Whether the harness has the bug: <c>t->aborted = true;</c> straight followed by the longjmp.</summary>
    public static bool HasTriggerBug(string harness) => UnclearedBail().IsMatch(harness);

    public static string FixTrigger(string harness) =>
        UnclearedBail().Replace(harness, m => $"{m.Groups[1].Value}{m.Groups[2].Value}t->trigger = 0;\n{m.Groups[3].Value}", 1);

    [GeneratedRegex(@"(\n([ \t]*)t->aborted = true;\n)([ \t]*longjmp\(t->env, 1\);)")]
    private static partial Regex UnclearedBail();
}
