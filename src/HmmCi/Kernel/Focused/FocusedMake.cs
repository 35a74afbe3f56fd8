using System.Text.RegularExpressions;
using HmmCi.Kernel.Diagnostics;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;
using HmmCi.Reports;

namespace HmmCi.Kernel.Focused;

/// <summary>What one make over object targets gave: its diagnostics, and the objects it could not build for a reason of its own.</summary>
public sealed record CompileResult(ProcessResult Process, string Log, BuildLog Diagnostics, IReadOnlyDictionary<string, string> NotBuilt, string Reproducer);

/// <summary>How one make ended, what it printed, and the command that runs it by hand.</summary>
public sealed record MakeRun(ProcessResult Process, string Log, string Reproducer);

/// <summary>What a compile's log says: its diagnostics, the objects it could not build and why, and whether one of them timed out.</summary>
public sealed record CompileReading(BuildLog Diagnostics, IReadOnlyDictionary<string, string> NotBuilt, bool ObjectTimedOut);

/// <summary>
/// The make commands of a focused compile, in one work tree and one O= folder per config: <c>make allmodconfig</c>
/// and <c>make prepare modules_prepare</c> once, then the object targets, their objects removed first (a stale
/// object makes make say "Nothing to be done" and exit 0), in one <c>make -k -j</c>. Each compiler run is wrapped
/// in <c>timeout</c>, so one hanging object is named and the others still compile. The same CC prepares and
/// compiles: Kbuild rebuilds what was made with another command line. Running a make and reading its log are apart,
/// so that a result cache hit's logs are read as a fresh compile's are.
/// </summary>
public sealed partial class FocusedMake(BuildRuntime runtime, BuildMounts mounts, string configTarget, int jobs, TimeSpan perObject)
{
    public const string TimeoutExit = "124";

    BuildMounts Inside => runtime.Inside(mounts);

    /// <summary>The config target, e.g. allmodconfig.</summary>
    public string Config => configTarget;

    /// <summary>The make command line every step runs (the bench runs it raw, side by side with the stage).</summary>
    public IReadOnlyList<string> Make => Command(Inside, perObject);

    /// <summary>The make command line over <paramref name="inside"/>'s folders.</summary>
    public static IReadOnlyList<string> Command(BuildMounts inside, TimeSpan perObject) =>
        ["make", .. BuildScript.MakeArguments(inside, $"timeout -k 10 {(int)Math.Ceiling(perObject.TotalSeconds)} ccache gcc")];

    /// <summary>
    /// The scripts the steps run, rendered for <paramref name="inside"/>'s folders, -j1 and a placeholder object: what the
    /// result cache keys on (with the fixed container paths), so a changed recipe is a miss.
    /// </summary>
    public static string Recipe(BuildMounts inside, string configTarget, TimeSpan perObject) =>
        PrepareScript(inside, configTarget, 1, perObject) + CompileScript(inside, ["dir/object.o"], 1, perObject);

    /// <summary>Why what these steps gave is not the inputs' alone (a timeout, a runtime that did not start); null while every step ran to its end.</summary>
    public string? Interrupted { get; private set; }

    // Kbuild unexports LC_ALL: LANG=C too, so gcc quotes 'x' as the mails do.
    static string Environment(BuildMounts inside) =>
        $"export LC_ALL=C LANG=C CCACHE_DIR={Shell.Quote(inside.Ccache)} KBUILD_BUILD_TIMESTAMP=@0 KBUILD_BUILD_USER=hmmci KBUILD_BUILD_HOST=hmmci";

    static string PrepareScript(BuildMounts inside, string configTarget, int jobs, TimeSpan perObject)
    {
        var make = Shell.Join(Command(inside, perObject));
        return string.Join("\n", Environment(inside),
            $"echo {Shell.Quote(BuildScript.Marker + "make " + configTarget)}", $"{make} {configTarget}",
            $"echo {Shell.Quote(BuildScript.Marker + "make prepare modules_prepare")}", $"{make} -j{jobs} prepare modules_prepare") + "\n";
    }

    static string CompileScript(BuildMounts inside, IReadOnlyList<string> objects, int jobs, TimeSpan perObject) =>
        string.Join("\n", Environment(inside),
            $"rm -f {Shell.Join(objects.Select(o => $"{inside.Output}/{o}"))}",
            $"echo {Shell.Quote(BuildScript.Marker + "make " + string.Join(" ", objects))}",
            $"{Shell.Join(Command(inside, perObject))} -k -j{jobs} {Shell.Join(objects)}") + "\n";

    /// <summary>The config and the prepared output.</summary>
    public Task<MakeRun> PrepareAsync(string name, string log, TimeSpan timeout, CancellationToken cancellation)
    {
        Directory.CreateDirectory(mounts.Output);
        Directory.CreateDirectory(mounts.Ccache);
        return RunAsync(name, PrepareScript(Inside, configTarget, jobs, perObject), log, timeout, cancellation);
    }

    /// <summary>Why the prepare failed, read from its log: its first error; null when it prepared.</summary>
    public string? PrepareFailure(string log, int exitCode, TimeSpan? timedOutAfter)
    {
        if (exitCode == 0 && timedOutAfter is null) return null;
        var step = BuildScript.LastStep(log.Split('\n')) ?? "make";
        var parsed = CompilerDiagnostics.Parse(log, Inside.Source, Inside.Output);
        var why = timedOutAfter is { } after ? $"timed out after {MakeProgress.Elapsed(after)}"
            : parsed.Errors.FirstOrDefault(e => !IsMakes(e)) is { } e ? $"{e.File}:{e.Line}: {e.Message}"
            : log.Split('\n').LastOrDefault(l => l.Trim().Length > 0 && !l.StartsWith(BuildScript.Marker, StringComparison.Ordinal) && !MakeStop().IsMatch(l))?.Trim()
              ?? $"exit code {exitCode}";
        return $"{step} failed under {configTarget}: {why}";
    }

    /// <summary>Compiles the objects (paths relative to the tree) afresh, keeping going past failures.</summary>
    public Task<MakeRun> RunCompileAsync(string name, IReadOnlyList<string> objects, string log, TimeSpan timeout, CancellationToken cancellation) =>
        RunAsync(name, CompileScript(Inside, objects, jobs, perObject), log, timeout, cancellation);

    /// <summary>Compiles the objects and reads the log.</summary>
    public async Task<CompileResult> CompileAsync(string name, IReadOnlyList<string> objects, string log, TimeSpan timeout, CancellationToken cancellation)
    {
        var run = await RunCompileAsync(name, objects, log, timeout, cancellation);
        var reading = ReadCompile(run.Log);
        return new CompileResult(run.Process, run.Log, reading.Diagnostics, reading.NotBuilt, run.Reproducer);
    }

    /// <summary>A compile's diagnostics, and the objects it did not build: timed out, or no rule under this config.</summary>
    public CompileReading ReadCompile(string log)
    {
        var notBuilt = new Dictionary<string, string>(StringComparer.Ordinal);
        var timedOut = false;
        foreach (var line in log.Split('\n'))
        {
            if (Failed().Match(line) is { Success: true } failed && failed.Groups["code"].Value == TimeoutExit)
            {
                notBuilt[InTree(failed.Groups["target"].Value)] = $"its compile timed out after {MakeProgress.Elapsed(perObject)} (kernel.focused.timeout)";
                timedOut = true;
            }
            else if (NoRule().Match(line) is { Success: true } noRule)
                notBuilt.TryAdd(InTree(noRule.Groups["target"].Value), $"make has no rule for it under {configTarget}: {line.Trim()}");
        }
        // make's own "*** [...] Error N" only repeats a compiler's error, or a timeout named above.
        var parsed = CompilerDiagnostics.Parse(log, Inside.Source, Inside.Output);
        return new CompileReading(parsed with { Errors = parsed.Errors.Where(e => !IsMakes(e)).ToList() }, notBuilt, timedOut);
    }

    static bool IsMakes(BuildDiagnostic diagnostic) => diagnostic.Line == 0 && diagnostic.Message.StartsWith("*** ", StringComparison.Ordinal);

    string InTree(string target) => target.StartsWith(Inside.Output + "/", StringComparison.Ordinal) ? target[(Inside.Output.Length + 1)..] : target;

    async Task<MakeRun> RunAsync(string name, string script, string log, TimeSpan timeout, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        File.Delete(log);
        var invocation = new BuildInvocation(name, mounts, script) { Timeout = timeout, LogFile = log };
        ProcessResult result;
        try
        {
            result = await runtime.RunAsync(invocation, cancellation);
        }
        catch (ProcessStartException e)
        {
            File.AppendAllText(log, e.Message + "\n");
            result = new ProcessResult(-1, "", e.Message, TimeSpan.Zero);
            Interrupted ??= $"the runtime did not start: {e.Message}";
        }
        if (result.TimedOut) Interrupted ??= $"{name} timed out";
        return new MakeRun(result, File.Exists(log) ? File.ReadAllText(log) : "", runtime.Reproducer(invocation));
    }

    // "make[3]: *** [scripts/Makefile.build:250: lib/x.o] Error 124", the fake tree's "make: *** [Makefile:9: /o/lib/x.o] Error 124"
    [GeneratedRegex(@"\*\*\* \[(?:[^\]:]+:\d+: )?(?<target>[^\]\s]+\.o)\] Error (?<code>\d+)")]
    private static partial Regex Failed();

    // make's own lines, which say that something failed, never what.
    [GeneratedRegex(@"^(?:\S*/)?g?make(?:\[\d+\])?: (?:\*\*\* |Entering directory|Leaving directory)")]
    private static partial Regex MakeStop();

    [GeneratedRegex(@"No rule to make target '(?<target>[^']+\.o)'")]
    private static partial Regex NoRule();
}
