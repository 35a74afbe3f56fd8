using System.Text.RegularExpressions;
using HmmCi.Reports;

namespace HmmCi.Selftests;

/// <summary>
/// Finds oopses, BUGs, WARNINGs, panics and hung-task reports in a console, each with its following trace lines (up to
/// the "---[ end trace" line or a cap) and the test that was running. Fed line by line; pure.
/// </summary>
public sealed partial class KernelProblems
{
    /// <summary>Trace lines kept per problem.</summary>
    public const int LineCap = 40;

    readonly List<KernelProblem> _found = [];
    List<string>? _open;

    public IReadOnlyList<KernelProblem> Found => _found;

    /// <summary>Reads one line; returns the problem it starts, if it starts one.</summary>
    public KernelProblem? Feed(string line, string? runningTest)
    {
        var text = KtapParser.StripConsolePrefix(line).Trim();
        var kind = Classify(text);
        if (kind is not null)
        {
            // A panic that follows an oops is the same event; it still gets its own entry, as the console shows it.
            _open = [text];
            var problem = new KernelProblem(kind, runningTest, _open);
            _found.Add(problem);
            return problem;
        }
        if (_open is null) return null;
        if (_open.Count < LineCap) _open.Add(text);
        if (EndOfTrace().IsMatch(text) || _open.Count >= LineCap) _open = null;
        return null;
    }

    public static string? Classify(string text) => text switch
    {
        _ when Panic().IsMatch(text) => "panic",
        _ when Oops().IsMatch(text) => "oops",
        _ when Bug().IsMatch(text) => "BUG",
        _ when Warning().IsMatch(text) => "WARNING",
        _ when HungTask().IsMatch(text) => "hung task",
        _ => null,
    };

    [GeneratedRegex(@"^Kernel panic - not syncing")]
    private static partial Regex Panic();

    [GeneratedRegex(@"^(Oops(: | - )|general protection fault)")]
    private static partial Regex Oops();

    [GeneratedRegex(@"^(BUG: |kernel BUG at |.*: BUG: (soft|hard) lockup)")]
    private static partial Regex Bug();

    [GeneratedRegex(@"^WARNING: (CPU: \d+ PID: \d+ at |at )")]
    private static partial Regex Warning();

    [GeneratedRegex(@"^INFO: task .+ blocked for more than \d+ seconds")]
    private static partial Regex HungTask();

    [GeneratedRegex(@"^---\[ end (trace|Kernel panic)")]
    private static partial Regex EndOfTrace();
}
