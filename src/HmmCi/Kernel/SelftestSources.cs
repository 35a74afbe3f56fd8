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

    /// <summary>Where hmm-tests.c may be, relative to the tree, in the order looked at.</summary>
    public static readonly string[] Sources = ["tools/testing/selftests/mm/hmm-tests.c", "tools/testing/selftests/vm/hmm-tests.c"];

    /// <summary>The kselftest harness, relative to the tree: the header the fixes apply to.</summary>
    public const string Harness = "tools/testing/selftests/kselftest_harness.h";

    /// <summary>tools/testing/selftests/{mm,vm}/hmm-tests.c relative to the tree, or null when the tree has none.</summary>
    public static string? Find(string tree) => Sources.FirstOrDefault(p => File.Exists(Path.Combine(tree, p)));

    /// <summary>Where the copy has hmm-tests.c (mm/hmm-tests.c) for its place in the tree.</summary>
    public static string InCopy(string source) => Path.Combine(Path.GetFileName(Path.GetDirectoryName(source)!), "hmm-tests.c");

    /// <summary>The harness as the copy has it, and the fixes that made it so.</summary>
    public static (string Text, IReadOnlyList<string> Fixes) Fixed(string harness, bool applyFixes)
    {
        var text = applyFixes ? FixTrigger(harness) : harness;
        return (text, text == harness ? [] : [TriggerFix]);
    }

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
        IReadOnlyList<string> fixes = [];
        var harness = Path.Combine(destination, Path.GetFileName(Harness));
        if (File.Exists(harness))
        {
            (var text, fixes) = Fixed(File.ReadAllText(harness), applyFixes);
            if (fixes.Count > 0) File.WriteAllText(harness, text);
        }
        return new SelftestCopy(InCopy(source), fixes);
    }

    /// <summary>Whether the harness has the bug: <c>t->aborted = true;</c> straight followed by the longjmp.</summary>
    public static bool HasTriggerBug(string harness) => UnclearedBail().IsMatch(harness);

    public static string FixTrigger(string harness) =>
        UnclearedBail().Replace(harness, m => $"{m.Groups[1].Value}{m.Groups[2].Value}t->trigger = 0;\n{m.Groups[3].Value}", 1);

    [GeneratedRegex(@"(\n([ \t]*)t->aborted = true;\n)([ \t]*longjmp\(t->env, 1\);)")]
    private static partial Regex UnclearedBail();
}
