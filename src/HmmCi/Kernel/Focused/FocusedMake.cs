using System.Text.RegularExpressions;
using HmmCi.Kernel.Diagnostics;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;
using HmmCi.Reports;

namespace HmmCi.Kernel.Focused;

/// <summary>What one make over object targets gave: its diagnostics, and the objects it could not build for a reason of its own.</summary>
public sealed record CompileResult(ProcessResult Process, string Log, BuildLog Diagnostics, IReadOnlyDictionary<string, string> NotBuilt, string Reproducer);

/// <summary>
/// The make commands of a focused compile, in one work tree and one O= folder per config: <c>make allmodconfig</c>
/// and <c>make prepare modules_prepare</c> once, then the object targets, their objects removed first (a stale
/// object makes make say "Nothing to be done" and exit 0), in one <c>make -k -j</c>. Each compiler run is wrapped
/// in <c>timeout</c>, so one hanging object is named and the others still compile. The same CC prepares and
/// compiles: Kbuild rebuilds what was made with another command line.
/// </summary>
public sealed partial class FocusedMake(BuildRuntime runtime, BuildMounts mounts, string configTarget, int jobs, TimeSpan perObject)
{
    public const string TimeoutExit = "124";

    BuildMounts Inside => runtime.Inside(mounts);

    /// <summary>The make command line every step runs (the bench runs it raw, side by side with the stage).</summary>
    public IReadOnlyList<string> Make => Command(Inside, perObject);

    /// <summary>The make command line over <paramref name="inside"/>'s folders (the result cache keys on it with the fixed container paths).</summary>
    public static IReadOnlyList<string> Command(BuildMounts inside, TimeSpan perObject) =>
        ["make", .. BuildScript.MakeArguments(inside, $"timeout -k 10 {(int)Math.Ceiling(perObject.TotalSeconds)} ccache gcc")];

    /// <summary>Why what these steps gave is not the inputs' alone (a timeout, a runtime that did not start); null while every step ran to its end.</summary>
    public string? Interrupted { get; private set; }

    // Kbuild unexports LC_ALL: LANG=C too, so gcc quotes 'x' as the mails do.
    string Environment => $"export LC_ALL=C LANG=C CCACHE_DIR={Shell.Quote(Inside.Ccache)} KBUILD_BUILD_TIMESTAMP=@0 KBUILD_BUILD_USER=hmmci KBUILD_BUILD_HOST=hmmci";

    /// <summary>The config and the prepared output; a failure's first error is the reason.</summary>
    public async Task<(bool Ok, string? Reason, string Log)> PrepareAsync(string name, string log, TimeSpan timeout, CancellationToken cancellation)
    {
        Directory.CreateDirectory(mounts.Output);
        Directory.CreateDirectory(mounts.Ccache);
        var script = string.Join("\n", Environment,
            $"echo {Shell.Quote(BuildScript.Marker + "make " + configTarget)}", $"{Shell.Join(Make)} {configTarget}",
            $"echo {Shell.Quote(BuildScript.Marker + "make prepare modules_prepare")}", $"{Shell.Join(Make)} -j{jobs} prepare modules_prepare") + "\n";
        var (result, text, _) = await RunAsync(name, script, log, timeout, cancellation);
        if (result.Success) return (true, null, text);
        var step = BuildScript.LastStep(text.Split('\n')) ?? "make";
        var parsed = CompilerDiagnostics.Parse(text, Inside.Source, Inside.Output);
        var why = result.TimedOut ? $"timed out after {MakeProgress.Elapsed(timeout)}"
            : parsed.Errors.FirstOrDefault(e => !IsMakes(e)) is { } e ? $"{e.File}:{e.Line}: {e.Message}"
            : text.Split('\n').LastOrDefault(l => l.Trim().Length > 0 && !l.StartsWith(BuildScript.Marker, StringComparison.Ordinal) && !MakeStop().IsMatch(l))?.Trim()
              ?? $"exit code {result.ExitCode}";
        return (false, $"{step} failed under {configTarget}: {why}", text);
    }

    /// <summary>Compiles the objects (paths relative to the tree) afresh, keeping going past failures.</summary>
    public async Task<CompileResult> CompileAsync(string name, IReadOnlyList<string> objects, string log, TimeSpan timeout, CancellationToken cancellation)
    {
        var output = Inside.Output;
        var script = string.Join("\n", Environment,
            $"rm -f {Shell.Join(objects.Select(o => $"{output}/{o}"))}",
            $"echo {Shell.Quote(BuildScript.Marker + "make " + string.Join(" ", objects))}",
            $"{Shell.Join(Make)} -k -j{jobs} {Shell.Join(objects)}") + "\n";
        var (result, text, reproducer) = await RunAsync(name, script, log, timeout, cancellation);
        var notBuilt = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (Failed().Match(line) is { Success: true } failed && failed.Groups["code"].Value == TimeoutExit)
            {
                notBuilt[InTree(failed.Groups["target"].Value)] = $"its compile timed out after {MakeProgress.Elapsed(perObject)} (kernel.focused.timeout)";
                Interrupted ??= "an object's compile timed out";
            }
            else if (NoRule().Match(line) is { Success: true } noRule)
                notBuilt.TryAdd(InTree(noRule.Groups["target"].Value), $"make has no rule for it under {configTarget}: {line.Trim()}");
        }
        // make's own "*** [...] Error N" only repeats a compiler's error, or a timeout named above.
        var parsed = CompilerDiagnostics.Parse(text, Inside.Source, Inside.Output);
        return new CompileResult(result, text, parsed with { Errors = parsed.Errors.Where(e => !IsMakes(e)).ToList() }, notBuilt, reproducer);
    }

    static bool IsMakes(BuildDiagnostic diagnostic) => diagnostic.Line == 0 && diagnostic.Message.StartsWith("*** ", StringComparison.Ordinal);

    string InTree(string target) => target.StartsWith(Inside.Output + "/", StringComparison.Ordinal) ? target[(Inside.Output.Length + 1)..] : target;

    async Task<(ProcessResult Result, string Log, string Reproducer)> RunAsync(string name, string script, string log, TimeSpan timeout, CancellationToken cancellation)
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
        return (result, File.Exists(log) ? File.ReadAllText(log) : "", runtime.Reproducer(invocation));
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
