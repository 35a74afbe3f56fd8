using System.Globalization;
using System.Text.RegularExpressions;

namespace HmmCi.Config;

/// <summary>How the selftests boot: QEMU on this machine, or a shell command (a lab machine) whose output is the console.</summary>
public enum SelftestRunnerKind { Qemu, Command }

/// <summary>The <c>selftests:</c> section of hmmci.yml (docs/config.md); the defaults when it is absent.</summary>
public sealed partial record SelftestsConfig
{
    public static readonly SelftestsConfig Default = new();

    public SelftestRunnerKind Runner { get; init; } = SelftestRunnerKind.Qemu;
    /// <summary>The shell command of <c>runner: command</c>.</summary>
    public string? Command { get; init; }
    /// <summary>No new result for this long: the running test is a timeout and the run stops (longer than the harness's 30 s).</summary>
    public TimeSpan TestTimeout { get; init; } = TimeSpan.FromSeconds(90);
    /// <summary>A whole boot, from start to exit.</summary>
    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromMinutes(15);
    /// <summary>Boots at once; by default one per two cores.</summary>
    public int Parallel { get; init; } = Math.Max(1, Environment.ProcessorCount / 2);
    /// <summary>Time for bisecting a confirmed regression, per tree; zero turns the bisect off.</summary>
    public TimeSpan BisectBudget { get; init; } = TimeSpan.FromMinutes(20);
    /// <summary>Whether the Build stage builds hmm-tests with the known kselftest harness fixes (never touching the tree).</summary>
    public bool HarnessFixes { get; init; } = true;

    public static readonly string[] Keys = ["runner", "command", "testTimeout", "runTimeout", "parallel", "bisectBudget", "harnessFixes"];

    /// <summary>90s, 15m, 1h, or a number of seconds; null when the text is none of these.</summary>
    public static TimeSpan? ParseDuration(string text)
    {
        var match = Duration().Match(text.Trim());
        if (!match.Success) return null;
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "h" => TimeSpan.FromHours(value),
            "m" or "min" => TimeSpan.FromMinutes(value),
            _ => TimeSpan.FromSeconds(value),
        };
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)\s*(s|m|min|h)?$")]
    private static partial Regex Duration();
}
