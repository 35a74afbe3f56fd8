using System.Text.RegularExpressions;
using HmmCi.Reports;

namespace HmmCi.Selftests;

/// <summary>One reported (or planned and never reported) test, with its subtests when it had any.</summary>
public sealed record KtapTest(string Name, int Number, TestStatus Status)
{
    /// <summary>The directive's reason (<c># SKIP reason</c>), when there was one.</summary>
    public string? Reason { get; init; }
    /// <summary>Diagnostic lines printed before the result, repeated lines collapsed and capped.</summary>
    public IReadOnlyList<string> Diagnostics { get; init; } = [];
    public IReadOnlyList<KtapTest> Subtests { get; init; } = [];
}

/// <summary>kselftest's <c># Totals: pass:N fail:N xfail:N xpass:N skip:N error:N</c>.</summary>
public sealed record KtapTotals(int Pass, int Fail, int XFail, int XPass, int Skip, int Error);

/// <summary>What a console said, as a tree of tests; <see cref="Leaves"/> flattens it with dotted names.</summary>
public sealed record KtapResult(IReadOnlyList<KtapTest> Tests)
{
    public string? Version { get; init; }
    public int? Plan { get; init; }
    public KtapTotals? Totals { get; init; }
    /// <summary>Whether every planned test reported (false when the output stopped midway or never started).</summary>
    public bool Complete { get; init; }
    /// <summary>A <c>Bail out!</c> line's reason.</summary>
    public string? BailOut { get; init; }

    /// <summary>Tests without subtests, named parent.child when nested.</summary>
    public IEnumerable<KtapTest> Leaves() => Flatten(Tests, "");

    static IEnumerable<KtapTest> Flatten(IEnumerable<KtapTest> tests, string prefix)
    {
        foreach (var test in tests)
        {
            var name = prefix + test.Name;
            if (test.Subtests.Count == 0) yield return test with { Name = name };
            else
                foreach (var leaf in Flatten(test.Subtests, name + "."))
                    yield return leaf;
        }
    }
}

/// <summary>
/// A KTAP v1 / TAP 13 parser for what kselftest and KUnit really print on a console (Documentation/dev-tools/ktap.rst):
/// version lines, plans, <c>ok</c>/<c>not ok</c> with SKIP, TODO, XFAIL, XPASS, TIMEOUT and ERROR directives, subtests
/// nested by indentation (2 spaces, a tab, or the <c>"# "</c> that kselftest's runner.sh prepends), the kselftest harness's
/// <c>#  RUN</c> and <c># Totals:</c> lines, and kernel messages with timestamps in between. Fed line by line (so the
/// Selftests stage can watch progress) or all at once; it never throws: a line it does not understand is a diagnostic.
/// A nested block's level is its exact indentation, whatever its unit, so mixed styles nest correctly.
/// </summary>
public sealed partial class KtapParser
{
    /// <summary>Diagnostic lines kept per test; the rest are counted.</summary>
    public const int DiagnosticCap = 60;

    sealed class Level(string indent)
    {
        public readonly string Indent = indent;
        public string? Name;
        public int? Plan;
        public readonly List<KtapTest> Results = [];
        public readonly Diagnostics Pending = new();
    }

    readonly List<Level> _levels = [];
    string? _version;
    KtapTotals? _totals;
    string? _bailOut;
    bool _stopped;

    /// <summary>The test the kselftest harness said it is running (<c>#  RUN name ...</c>) and has not reported yet.</summary>
    public string? Running { get; private set; }
    /// <summary>Results reported so far, at any level.</summary>
    public int Reported { get; private set; }
    /// <summary>Whether a version line or a plan has been seen.</summary>
    public bool Started => _levels.Count > 0;

    public static KtapResult Parse(IEnumerable<string> lines)
    {
        var parser = new KtapParser();
        foreach (var line in lines) parser.Feed(line);
        return parser.Finish();
    }

    public static KtapResult Parse(string text) => Parse(text.Split('\n'));

    /// <summary>Reads one console line; returns the result it reported, if it was a result line.</summary>
    public KtapTest? Feed(string rawLine)
    {
        if (_stopped) return null;
        var line = StripConsolePrefix(rawLine.TrimEnd('\r', '\n'));
        var (indent, body) = SplitIndent(line);

        if (VersionLine().Match(body) is { Success: true } version) return Header(indent, () => _version ??= version.Value.Trim(), null, null);
        if (PlanLine().Match(body) is { Success: true } plan)
            return Header(indent, null, int.TryParse(plan.Groups[1].ValueSpan, out var count) ? count : 0, null);
        if (SubtestLine().Match(body) is { Success: true } subtest) return Header(indent, null, null, subtest.Groups[1].Value.Trim());
        if (_levels.Count == 0) return null;
        if (ResultLine().Match(body) is { Success: true } result) return Result(indent, result);
        if (BailOutLine().Match(body) is { Success: true } bail)
        {
            _bailOut = bail.Groups[1].Value.Trim();
            _stopped = true;
            return null;
        }
        Diagnostic(line);
        return null;
    }

    /// <summary>
    /// Ends the output: planned tests that never reported become <see cref="TestStatus.Missing"/>, except the one that
    /// was running, which gets <paramref name="runningStatus"/> (a watchdog that stopped the run says timeout).
    /// </summary>
    public KtapResult Finish(TestStatus runningStatus = TestStatus.Missing)
    {
        if (_levels.Count == 0) return new KtapResult([]) { Complete = false };
        var complete = _bailOut is null;
        // Unfinished nested blocks become their parent's unfinished test.
        while (_levels.Count > 1)
        {
            var inner = Pop();
            complete &= AddMissing(inner, runningStatus);
            var parent = _levels[^1];
            parent.Results.Add(new KtapTest(inner.Name ?? $"#{parent.Results.Count + 1}", parent.Results.Count + 1, TestStatus.Error)
            {
                Reason = "output stopped before this test reported",
                Subtests = inner.Results.ToList(),
                Diagnostics = inner.Pending.Take(),
            });
        }
        var root = _levels[0];
        complete &= AddMissing(root, runningStatus) && root.Plan is not null;
        return new KtapResult(root.Results.ToList())
        {
            Version = _version,
            Plan = root.Plan,
            Totals = _totals,
            Complete = complete,
            BailOut = _bailOut,
        };
    }

    bool AddMissing(Level level, TestStatus runningStatus)
    {
        if (level.Plan is not { } plan) return true;
        var reported = level.Results.Select(r => r.Number).ToHashSet();
        var complete = true;
        for (var number = 1; number <= plan; number++)
        {
            if (reported.Contains(number)) continue;
            complete = false;
            var running = Running is not null && ReferenceEquals(level, _levels[^1]);
            level.Results.Add(new KtapTest(running ? Running! : $"#{number}", number, running ? runningStatus : TestStatus.Missing)
            {
                Diagnostics = running ? level.Pending.Take() : [],
            });
            if (running) Running = null;
        }
        return complete;
    }

    KtapTest? Header(string indent, Action? version, int? plan, string? name)
    {
        if (_levels.Count == 0)
        {
            var root = new Level(indent);
            _levels.Add(root);
            version?.Invoke();
            root.Plan = plan;
            return null;
        }
        var top = _levels[^1];
        if (indent == top.Indent)
        {
            // The plan (or the name) of the block the version line opened; a second one is only a diagnostic.
            if (plan is not null && top.Plan is null && top.Results.Count == 0) top.Plan = plan;
            else if (name is not null && top.Name is null && top.Results.Count == 0 && _levels.Count > 1) top.Name = name;
            else top.Pending.Add(indent + (name is not null ? "# Subtest: " + name : plan is not null ? $"1..{plan}" : "version"));
            return null;
        }
        if (indent.StartsWith(top.Indent, StringComparison.Ordinal))
        {
            var nested = new Level(indent) { Name = name, Plan = plan };
            _levels.Add(nested);
            return null;
        }
        top.Pending.Add(indent + "(misplaced header)");
        return null;
    }

    KtapTest Result(string indent, Match match)
    {
        var index = _levels.FindLastIndex(l => l.Indent == indent);
        if (index < 0)
        {
            // A result deeper than any open block without a header of its own: a nested block starts here.
            if (indent.StartsWith(_levels[^1].Indent, StringComparison.Ordinal)) _levels.Add(new Level(indent));
            index = _levels.Count - 1;
            while (index > 0 && !indent.StartsWith(_levels[index].Indent, StringComparison.Ordinal)) index--;
        }
        var subtests = new List<KtapTest>();
        var childDiagnostics = new List<string>();
        while (_levels.Count - 1 > index)
        {
            var inner = Pop();
            AddMissing(inner, TestStatus.Missing);
            // Only the block right below this result holds its subtests; deeper leftovers are that block's.
            subtests = inner.Results.ToList();
            childDiagnostics.AddRange(inner.Pending.Take());
        }
        var level = _levels[index];
        var ok = match.Groups["ok"].Value == "ok";
        var number = int.TryParse(match.Groups["number"].ValueSpan, out var n) ? n : level.Results.Count + 1;
        var description = match.Groups["description"].Value.Trim();
        var directive = match.Groups["directive"].Success ? match.Groups["directive"].Value.ToUpperInvariant() : null;
        var reason = match.Groups["reason"].Success ? match.Groups["reason"].Value.Trim() : null;
        var diagnostics = level.Pending.Take();
        if (childDiagnostics.Count > 0 && subtests.Count == 0) diagnostics = [.. childDiagnostics, .. diagnostics];
        var status = (ok, directive) switch
        {
            (_, "SKIP") => TestStatus.Skip,
            (true, "TODO") => TestStatus.XPass,
            (false, "TODO") => TestStatus.XFail,
            (_, "XFAIL") => TestStatus.XFail,
            (_, "XPASS") => TestStatus.XPass,
            (_, "TIMEOUT") => TestStatus.Timeout,
            (_, "ERROR") => TestStatus.Error,
            (true, _) => TestStatus.Pass,
            // The kselftest harness's own timeout (alarm, then SIGKILL of the test) says so before the result.
            (false, _) when diagnostics.Any(d => d.EndsWith("Test terminated by timeout", StringComparison.Ordinal)) => TestStatus.Timeout,
            _ => TestStatus.Fail,
        };
        if (description.Length == 0) description = Running ?? $"#{number}";
        var test = new KtapTest(description, number, status)
        {
            Reason = string.IsNullOrEmpty(reason) ? null : reason,
            Diagnostics = diagnostics,
            Subtests = subtests,
        };
        level.Results.Add(test);
        Reported++;
        Running = null;
        return test;
    }

    void Diagnostic(string line)
    {
        var inner = HarnessText(line);
        if (RunLine().Match(inner) is { Success: true } run) Running = run.Groups[1].Value;
        else if (TotalsLine().Match(inner) is { Success: true } totals)
        {
            int Get(string key) => int.Parse(totals.Groups[key].ValueSpan);
            _totals = new KtapTotals(Get("pass"), Get("fail"), Get("xfail"), Get("xpass"), Get("skip"), Get("error"));
        }
        _levels[^1].Pending.Add(line.Trim());
    }

    Level Pop()
    {
        var level = _levels[^1];
        _levels.RemoveAt(_levels.Count - 1);
        return level;
    }

    /// <summary>The line without kernel timestamps (<c>[    1.234567]</c>, <c>[    T1]</c>) and the one space after them.</summary>
    public static string StripConsolePrefix(string line)
    {
        var match = ConsolePrefix().Match(line);
        return match.Success ? line[match.Length..] : line;
    }

    /// <summary>Leading spaces, tabs and "#" levels, up to the first KTAP token (or the first other text).</summary>
    static (string Indent, string Body) SplitIndent(string line)
    {
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c is ' ' or '\t') { i++; continue; }
            if (c == '#' && !line.AsSpan(i).StartsWith("# Subtest:") && i + 1 < line.Length && line[i + 1] is ' ' or '\t')
            {
                // Only a '#' in front of a KTAP token is a nesting level; otherwise this is a diagnostic line.
                var rest = line.AsSpan(i + 1).TrimStart();
                if (rest.StartsWith("ok ") || rest.StartsWith("not ok") || rest.SequenceEqual("ok") || rest.StartsWith("1..")
                    || rest.StartsWith("KTAP version") || rest.StartsWith("TAP version") || rest.StartsWith("# Subtest:")
                    || rest.StartsWith("#"))
                {
                    i++;
                    continue;
                }
            }
            break;
        }
        // Indentation is compared exactly; '#' levels count as such, "# " and "#" alike.
        var indent = line[..i].Replace("# ", "#").Replace("#\t", "#");
        return (indent, line[i..]);
    }

    /// <summary>A diagnostic's text without its "#" levels: "#  RUN  x ..." reads "RUN  x ...".</summary>
    static string HarnessText(string line) => line.TrimStart(' ', '\t', '#');

    [GeneratedRegex(@"^(?:\[\s*\d+\.\d+\]|\[\s*[TC]\d+\])+ ?")]
    private static partial Regex ConsolePrefix();

    [GeneratedRegex(@"^(?:KTAP|TAP) version \d+\s*$")]
    private static partial Regex VersionLine();

    [GeneratedRegex(@"^1\.\.(\d+)(?:\s.*)?$")]
    private static partial Regex PlanLine();

    [GeneratedRegex(@"^# Subtest: (.*)$")]
    private static partial Regex SubtestLine();

    // As in TAP and kunit_parser.py, a '#' ends the description; what follows is a directive or a comment.
    [GeneratedRegex(@"^(?<ok>ok|not ok)(?:\s+(?<number>\d+))?(?:\s+-)?(?:\s+(?<description>[^#]*?))?\s*(?:#\s*(?:(?<directive>(?i:SKIP|TODO|XFAIL|XPASS|TIMEOUT|ERROR))\b:?\s*(?<reason>.*?)|.*))?\s*$")]
    private static partial Regex ResultLine();

    [GeneratedRegex(@"^Bail out!\s*(.*)$")]
    private static partial Regex BailOutLine();

    [GeneratedRegex(@"^RUN\s+(\S+) \.\.\.$")]
    private static partial Regex RunLine();

    [GeneratedRegex(@"^Totals: pass:(?<pass>\d+) fail:(?<fail>\d+) xfail:(?<xfail>\d+) xpass:(?<xpass>\d+) skip:(?<skip>\d+) error:(?<error>\d+)")]
    private static partial Regex TotalsLine();

    /// <summary>A test's diagnostic lines: a run of one repeated line is collapsed, and past the cap lines are counted.</summary>
    sealed class Diagnostics
    {
        readonly List<string> _lines = [];
        string? _last;
        long _repeats;
        long _dropped;

        public void Add(string line)
        {
            if (line.Length == 0) return;
            if (line == _last) { _repeats++; return; }
            Flush();
            _last = line;
            if (_lines.Count < DiagnosticCap) _lines.Add(line);
            else _dropped++;
        }

        void Flush()
        {
            if (_repeats > 0)
            {
                if (_lines.Count < DiagnosticCap) _lines.Add(ConsoleLog.RepeatedNote(_repeats));
                else _dropped++;
            }
            _repeats = 0;
        }

        public List<string> Take()
        {
            Flush();
            var lines = _lines.ToList();
            if (_dropped > 0) lines.Add($"[... {_dropped:N0} more lines ...]");
            _lines.Clear();
            _last = null;
            _dropped = 0;
            return lines;
        }
    }
}
