using System.Text.RegularExpressions;
using HmmCi.Config;
using HmmCi.Kernel.Diagnostics;
using HmmCi.Reports;

namespace HmmCi.Kernel;

/// <summary>How a build's script ended: its exit code, or killed when it ran past kernel.timeout.</summary>
public sealed record BuildExit(int Code, TimeSpan? TimedOutAfter = null);

/// <summary>
/// What a build's log says: pass or why not, its errors and warnings, and whether the inputs alone decided it (only
/// then is it cached): a timeout, a full disk, a missing compiler, an engine that failed or a build stopped from outside are the machine's, not the tree's.
/// </summary>
public sealed record BuildVerdict(StageStatus Status, string? Reason, IReadOnlyList<BuildDiagnostic> Errors, IReadOnlyList<BuildDiagnostic> Warnings, bool Deterministic);

/// <summary>
/// Reads a build from what it produced, the same for a build that just ran and for a result cache hit: the result
/// cache stores the log and the exit code, never what an older HmmCi read in them.
/// </summary>
public static partial class BuildJudge
{
    /// <param name="log">The script's combined output, with <see cref="BuildScript"/>'s step markers.</param>
    /// <param name="kconfig">Options a fragment asked for that the .config lacks (<see cref="Kconfig.KconfigVerification"/>).</param>
    /// <param name="treeRoot">The source tree as the compiler saw it.</param>
    /// <param name="outputRoot">The O= folder as the compiler saw it.</param>
    public static BuildVerdict Judge(string log, BuildExit exit, IReadOnlyList<BuildDiagnostic> kconfig, string treeRoot, string outputRoot)
    {
        var diagnostics = CompilerDiagnostics.Parse(log, treeRoot, outputRoot);
        var (status, reason, deterministic) = Verdict(log.Split('\n'), exit, [.. diagnostics.Errors, .. kconfig]);
        return new BuildVerdict(status, reason, [.. kconfig, .. diagnostics.Errors], diagnostics.Warnings, deterministic);
    }

    /// <param name="errors">The compiler's errors first: the first one is the reason.</param>
    static (StageStatus Status, string? Reason, bool Deterministic) Verdict(string[] lines, BuildExit exit, List<BuildDiagnostic> errors)
    {
        // What the machine did, not the tree (a timeout, a full disk, a tool the image lacks, a build that never
        // started), is an error: the build was not judged, and the verdict is incomplete rather than not-ready.
        if (exit.TimedOutAfter is { } after) return (StageStatus.Error, $"timed out after {MakeProgress.Elapsed(after)} (kernel.timeout){InStep(lines)}", false);
        // The script's EXIT trap says when it ends, failing or not; one that started and never said so was killed
        // from outside (its container removed or killed): nothing about the tree.
        if (exit.Code != 0 && lines.Any(l => l.StartsWith(BuildScript.ClockMarker + "start", StringComparison.Ordinal))
            && !lines.Any(l => l.StartsWith(BuildScript.ClockMarker + "end", StringComparison.Ordinal)))
            return (StageStatus.Error, $"the build was stopped from outside before it ended (exit code {exit.Code}{InStep(lines)}): its container was removed or killed", false);
        if (lines.FirstOrDefault(l => l.Contains("No space left on device", StringComparison.Ordinal)) is { } full)
            return (StageStatus.Error, $"disk full: {full.Trim()}", false);
        if (exit.Code == 0 && errors.Count == 0) return (StageStatus.Pass, null, true);
        if (exit.Code == 0) return (StageStatus.Fail, $"{errors[0].File}:{errors[0].Line}: {errors[0].Message}", true);
        if (lines.Select(l => MissingTool().Match(l)).FirstOrDefault(m => m.Success) is { } missing)
            return (StageStatus.Error, $"{missing.Groups["tool"].Value} is missing from the build environment: {missing.Value.Trim()}", false);
        var step = BuildScript.LastStep(lines);
        if (step is null)
            return (StageStatus.Error, $"the build did not start: {FirstMeaningful(exit, lines)}", false);
        var first = errors.FirstOrDefault();
        // kconfig says what is wrong in its own words ("lib/Kconfig:12: syntax error"): the step's first line of its own.
        var what = ConfigSteps.Contains(step) ? StepOutput(lines, step) ?? FirstMeaningful(exit, lines)
            : first is null ? FirstMeaningful(exit, lines) : $"{first.File}:{first.Line}: {first.Message}";
        return (StageStatus.Fail, $"{step} failed: {what}", true);
    }

    static readonly HashSet<string> ConfigSteps = ["base.config", "merge_config.sh", "make olddefconfig", .. KernelBuildConfig.BaseTargets.Select(t => $"make {t}")];

    /// <summary>The first line the step printed beyond make's directory messages and kconfig's '#' banners.</summary>
    static string? StepOutput(string[] lines, string step) =>
        lines.SkipWhile(l => l != BuildScript.Marker + step).Skip(1)
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("make: Entering", StringComparison.Ordinal)
                && !l.StartsWith("make[", StringComparison.Ordinal));

    static string InStep(string[] lines) => BuildScript.LastStep(lines) is { } step ? $" in {step}" : "";

    /// <summary>The first line that says error, else the last thing the script said before it stopped (the log has its stderr too).</summary>
    static string FirstMeaningful(BuildExit exit, string[] lines)
    {
        var line = lines.FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.StartsWith("make: ***", StringComparison.Ordinal))
            ?? lines.LastOrDefault(l => l.Trim().Length > 0 && !l.StartsWith(BuildScript.Marker, StringComparison.Ordinal)
                && !l.StartsWith(BuildScript.ClockMarker, StringComparison.Ordinal));
        return line?.Trim() is { Length: > 0 } l ? l : $"exit code {exit.Code}";
    }

    [GeneratedRegex(@"(\b(?<tool>[\w.+-]*(gcc|cc|clang|ld|ccache|make|bc|flex|bison|rsync|perl)): (not found|No such file or directory|command not found)\s*$)|(Could not find compiler ""(?<tool>[^""]+)"")")]
    private static partial Regex MissingTool();
}
