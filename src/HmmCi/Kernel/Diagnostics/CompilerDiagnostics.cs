using System.Globalization;
using System.Text.RegularExpressions;
using HmmCi.Reports;

namespace HmmCi.Kernel.Diagnostics;

/// <summary>The errors and warnings of one build log, each once, in the order the log printed them.</summary>
public sealed record BuildLog(IReadOnlyList<BuildDiagnostic> Errors, IReadOnlyList<BuildDiagnostic> Warnings);

/// <summary>
/// Reads what gcc, clang, GNU ld, modpost and make print during a Kbuild build into diagnostics with paths relative
/// to the source tree. The lines that only locate a diagnostic ("In file included from", "In function", notes) go
/// into its <see cref="BuildDiagnostic.Context"/>; source excerpts and carets are skipped. make's own "***" lines are
/// errors only when the log has nothing better that explains the failure.
/// </summary>
public static partial class CompilerDiagnostics
{
    /// <param name="log">The build's combined stdout and stderr.</param>
    /// <param name="treeRoot">The source tree as the compiler saw it (the container's mount point, for a container build).</param>
    /// <param name="buildDir">The O= directory as the compiler saw it; without it, the first directory make says it entered.</param>
    public static BuildLog Parse(string log, string treeRoot, string? buildDir = null)
    {
        var parser = new Parser(treeRoot, buildDir);
        foreach (var line in log.Split('\n')) parser.Read(line.TrimEnd('\r'));
        return parser.Result();
    }

    /// <summary>The last <paramref name="lines"/> lines of a log, for the report of a failed build.</summary>
    public static string Tail(string log, int lines = 40)
    {
        var all = log.TrimEnd('\n', '\r').Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)).Select(l => l.TrimEnd('\r')));
    }

    // file:line[:col]: severity: message [-Wflag]
    [GeneratedRegex(@"^(?<file>[^\s:][^:]*):(?<line>\d+):(?:(?<col>\d+):)? (?<sev>fatal error|error|warning|note): (?<msg>.*)$")]
    private static partial Regex CompilerLine();

    // A program's own diagnostic, without a line: "cc1: error: ...", "lib/x.o: warning: objtool: ...".
    [GeneratedRegex(@"^(?<file>[^\s:]+): (?<sev>fatal error|error|warning): (?<msg>.*)$")]
    private static partial Regex ProgramLine();

    [GeneratedRegex(@"\s\[(?<flag>-W[^\]\s]+)\]$")]
    private static partial Regex FlagSuffix();

    // gcc: "In file included from a.h:3," then "                 from b.c:2:"; clang: one "In file included from" per level.
    [GeneratedRegex(@"^(?:In file included from|\s+from) (?<file>[^\s:][^:]*):(?<line>\d+)(?::\d+)?[,:]$")]
    private static partial Regex IncludedFrom();

    // "lib/x.c: In function 'f':", "At top level:", and gcc's "    inlined from 'f' at lib/x.c:12:3:".
    [GeneratedRegex(@"^(?<file>[^\s:][^:]*): (?<what>In (?:function|member function|static member function|constructor|destructor|instantiation of) .*|At top level):$")]
    private static partial Regex InFunction();

    [GeneratedRegex(@"^(?:In function .*[,:]|\s+inlined from .* at (?<file>[^\s:][^:]*):(?<line>\d+)(?::\d+)?[,:])$")]
    private static partial Regex InlinedFrom();

    // gcc's excerpt lines: "  175 |   code", "      |   ^~~~", "  +++ |+#include <x.h>".
    [GeneratedRegex(@"^\s*(?:\d+|\+\+\+)? \|")]
    private static partial Regex SourceExcerpt();

    [GeneratedRegex(@"^(?<ld>(?:\S*/)?(?:[\w.-]+-)?ld(?:\.bfd|\.gold)?): (?<rest>.*)$")]
    private static partial Regex LdLine();

    [GeneratedRegex(@"^(?<obj>\S+): in function `(?<fn>.*)':$")]
    private static partial Regex LdInFunction();

    // "test_hmm.c:(.text+0x23): undefined reference to `x'", "/src/a.c:7: undefined reference ...", "a.o:(.data+0x0): multiple definition ..."
    [GeneratedRegex(@"^(?<file>[^\s:]+):(?:(?<line>\d+)|\([^)]*\)): (?<msg>(?:undefined reference to|multiple definition of|relocation truncated to fit|first defined here|more undefined references to) .*)$")]
    private static partial Regex LdReference();

    [GeneratedRegex(@"^(?<sev>ERROR|FATAL|WARNING): modpost: (?<msg>.*)$")]
    private static partial Regex Modpost();

    [GeneratedRegex(@"\[(?<file>[^\]\s]+\.ko)\]|^(?<file>[^\s:]+\.o): ")]
    private static partial Regex ModpostFile();

    [GeneratedRegex(@"^(?:\S*/)?g?make(?:\[\d+\])?: \*\*\* (?<rest>.*)$")]
    private static partial Regex MakeError();

    [GeneratedRegex(@"^\[(?:(?<makefile>[^\]:]+):\d+: )?(?<target>[^\]]+)\] (?<what>.+)$")]
    private static partial Regex MakeRecipeFailure();

    [GeneratedRegex(@"^No rule to make target '(?<target>[^']+)'")]
    private static partial Regex MakeNoRule();

    [GeneratedRegex(@"^(?:\S*/)?g?make(?:\[\d+\])?: (?<dir>Entering|Leaving) directory [`'](?<path>.*)'$")]
    private static partial Regex MakeDirectory();

    // Kbuild's quiet command lines, "  CC      lib/test_hmm.o": a new command starts, earlier context no longer applies.
    [GeneratedRegex(@"^  [A-Z][A-Z0-9_]* +\S")]
    private static partial Regex KbuildCommand();

    private sealed class Parser(string treeRoot, string? buildDir)
    {
        private readonly PathResolver _paths = new(treeRoot, buildDir);
        private readonly List<BuildDiagnostic> _diagnostics = [];
        private readonly List<BuildDiagnostic> _makeErrors = [];
        private readonly HashSet<(string, string, int, int?, string?, string)> _seen = [];
        // Lines printed before a diagnostic that locate it (include chain, function).
        private readonly List<string> _pending = [];
        // gcc prints the include chain and the function only when they change: later diagnostics in the same file inherit them.
        private (string File, List<string> Lines)? _includeChain;
        private (string File, string Line)? _function;
        private string? _ldFunction;
        private string? _ldObject;
        // Where a note's lines go: the context of the diagnostic it belongs to.
        private List<string>? _lastContext;

        public void Read(string line)
        {
            if (line.Length == 0 || SourceExcerpt().IsMatch(line)) return;
            Match m;
            if ((m = MakeDirectory().Match(line)).Success) { _paths.Directory(m.Groups["dir"].Value == "Entering", m.Groups["path"].Value); return; }
            if ((m = CompilerLine().Match(line)).Success) { Compiler(m); return; }
            if ((m = IncludedFrom().Match(line)).Success) { Locate(IncludeLine(line, m)); return; }
            if ((m = InFunction().Match(line)).Success)
            {
                var file = _paths.Relative(m.Groups["file"].Value);
                _function = (file, $"{file}: {m.Groups["what"].Value}:");
                return;
            }
            if ((m = InlinedFrom().Match(line)).Success) { Locate(InlineLine(line, m)); return; }
            if ((m = LdLine().Match(line)).Success) { Ld(m.Groups["ld"].Value, m.Groups["rest"].Value); return; }
            if ((m = LdReference().Match(line)).Success) { Reference(m, null); return; }
            if ((m = Modpost().Match(line)).Success) { ModpostLine(m); return; }
            if ((m = MakeError().Match(line)).Success) { Make(m.Groups["rest"].Value); return; }
            if ((m = ProgramLine().Match(line)).Success) { Program(m); return; }
            if (KbuildCommand().IsMatch(line)) Reset();
        }

        public BuildLog Result()
        {
            var errors = _diagnostics.Where(d => d.Severity == "error").ToList();
            // make only says that a command failed; it explains a failure only when nothing else does.
            if (errors.Count == 0) errors = SignificantMakeErrors();
            return new BuildLog(errors, _diagnostics.Where(d => d.Severity == "warning").ToList());
        }

        private List<BuildDiagnostic> SignificantMakeErrors()
        {
            // "Error 2" is a sub-make passing its child's failure up: the child's own line says more.
            var own = _makeErrors.Where(d => !d.Message.EndsWith("] Error 2", StringComparison.Ordinal)).ToList();
            return own.Count > 0 ? own : _makeErrors.Take(1).ToList();
        }

        private void Reset()
        {
            _pending.Clear();
            _includeChain = null;
            _function = null;
            _ldFunction = null;
            _ldObject = null;
            _lastContext = null;
        }

        private void Locate(string contextLine) => _pending.Add(contextLine);

        private string IncludeLine(string line, Match m)
        {
            var prefix = line.TrimStart().StartsWith("from", StringComparison.Ordinal) ? "from" : "In file included from";
            var rest = line[(m.Groups["file"].Index + m.Groups["file"].Length)..];
            return $"{prefix} {_paths.Relative(m.Groups["file"].Value)}{rest}";
        }

        private string InlineLine(string line, Match m)
        {
            var trimmed = line.Trim();
            if (!m.Groups["file"].Success) return trimmed;
            var start = m.Groups["file"].Index - (line.Length - line.TrimStart().Length);
            return trimmed[..start] + _paths.Relative(m.Groups["file"].Value) + line[(m.Groups["file"].Index + m.Groups["file"].Length)..].TrimEnd();
        }

        private void Compiler(Match m)
        {
            var file = _paths.Relative(m.Groups["file"].Value);
            var lineNo = int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture);
            int? column = m.Groups["col"].Success ? int.Parse(m.Groups["col"].Value, CultureInfo.InvariantCulture) : null;
            var severity = m.Groups["sev"].Value;
            var message = m.Groups["msg"].Value;

            if (severity == "note")
            {
                var noteLine = $"{file}:{lineNo}:{(column is null ? "" : column + ":")} note: {message}";
                if (_lastContext is not null)
                {
                    _lastContext.AddRange(_pending);
                    _lastContext.Add(noteLine);
                }
                _pending.Clear();
                return;
            }

            (message, var flag) = SplitFlag(message);
            var context = new List<string>();
            if (_pending.Any(l => l.StartsWith("In file included from", StringComparison.Ordinal)))
                _includeChain = (file, _pending.Where(IsIncludeLine).ToList());
            else if (_includeChain is { } chain && chain.File != file)
                _includeChain = null;
            if (_includeChain is { } inherited && !_pending.Any(IsIncludeLine)) context.AddRange(inherited.Lines);
            context.AddRange(_pending.Where(IsIncludeLine));
            if (_function is { } fn && fn.File == file) context.Add(fn.Line);
            context.AddRange(_pending.Where(l => !IsIncludeLine(l)));
            _pending.Clear();

            Add(new BuildDiagnostic(file, lineNo, message)
            {
                Column = column,
                Severity = severity == "fatal error" ? "error" : severity,
                Flag = flag,
                Context = context,
            });
        }

        /// <summary>"unused variable 'x' [-Wunused-variable]" into the message and its flag.</summary>
        private static (string Message, string? Flag) SplitFlag(string message) =>
            FlagSuffix().Match(message) is { Success: true } f ? (message[..f.Index], f.Groups["flag"].Value) : (message, null);

        private static bool IsIncludeLine(string l) =>
            l.StartsWith("In file included from", StringComparison.Ordinal) || l.StartsWith("from ", StringComparison.Ordinal);

        private void Ld(string ld, string rest)
        {
            Match m;
            if ((m = LdInFunction().Match(rest)).Success)
            {
                _ldObject = _paths.Relative(m.Groups["obj"].Value);
                _ldFunction = $"{ld}: {_ldObject}: in function `{m.Groups["fn"].Value}':";
                return;
            }
            if ((m = LdReference().Match(rest)).Success) { Reference(m, ld); return; }
            var warning = rest.StartsWith("warning: ", StringComparison.Ordinal);
            var message = warning ? rest["warning: ".Length..] : rest;
            Add(new BuildDiagnostic(Path.GetFileName(ld), 0, message) { Severity = warning ? "warning" : "error" });
        }

        private void Reference(Match m, string? ld)
        {
            var context = new List<string>();
            if (_ldFunction is not null && ld is null) context.Add(_ldFunction);
            var line = m.Groups["line"].Success ? int.Parse(m.Groups["line"].Value, CultureInfo.InvariantCulture) : 0;
            var file = m.Groups["file"].Value;
            // Without debug info ld names the source by its base name (the object's STT_FILE); Kbuild puts an object at
            // its source's path, so lib/test_hmm.o's "test_hmm.c" is lib/test_hmm.c.
            if (ld is null && !file.Contains('/') && _ldObject is not null
                && Path.GetFileNameWithoutExtension(_ldObject) == Path.GetFileNameWithoutExtension(file))
                file = Path.Combine(Path.GetDirectoryName(_ldObject) ?? "", file);
            else
                file = _paths.Relative(file);
            Add(new BuildDiagnostic(file, line, m.Groups["msg"].Value) { Context = context });
        }

        private void ModpostLine(Match m)
        {
            var message = m.Groups["msg"].Value;
            var file = ModpostFile().Match(message) is { Success: true } f ? _paths.Relative(f.Groups["file"].Value) : "modpost";
            Add(new BuildDiagnostic(file, 0, message) { Severity = m.Groups["sev"].Value == "WARNING" ? "warning" : "error" });
        }

        private void Make(string rest)
        {
            Match m;
            var target = (m = MakeRecipeFailure().Match(rest)).Success ? m.Groups["target"].Value
                : (m = MakeNoRule().Match(rest)).Success ? m.Groups["target"].Value
                : null;
            var diagnostic = new BuildDiagnostic(target is null ? "make" : _paths.Relative(target), 0, "*** " + rest);
            if (!_makeErrors.Contains(diagnostic)) _makeErrors.Add(diagnostic);
        }

        private void Program(Match m)
        {
            var file = m.Groups["file"].Value;
            var message = m.Groups["msg"].Value;
            // collect2 only repeats that ld failed, after ld said why.
            if (Path.GetFileName(file) == "collect2" && message.StartsWith("ld returned", StringComparison.Ordinal)) return;
            (message, var flag) = SplitFlag(message);
            var severity = m.Groups["sev"].Value == "warning" ? "warning" : "error";
            Add(new BuildDiagnostic(file.Contains('/') || file.Contains('.') ? _paths.Relative(file) : file, 0, message) { Severity = severity, Flag = flag });
        }

        private void Add(BuildDiagnostic diagnostic)
        {
            _lastContext = diagnostic.Context;
            // A header's warning is printed once per object that includes it: it is one warning.
            if (_seen.Add((diagnostic.Severity, diagnostic.File, diagnostic.Line, diagnostic.Column, diagnostic.Flag, diagnostic.Message)))
                _diagnostics.Add(diagnostic);
        }
    }
}
