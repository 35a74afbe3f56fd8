using System.Text.Json;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Checks;

/// <summary>A finding as report.json holds it.</summary>
public sealed record Finding(string Check, string Severity, string? Commit, string Message);

/// <summary>Runs the pipeline's Check target on a <see cref="TopicScenario"/> and reads report.json.</summary>
public sealed class CheckRun
{
    public required PipelineRun Pipeline { get; init; }
    public JsonElement Report => Pipeline.Report;

    public IReadOnlyList<Finding> Findings => Report.GetProperty("checks").EnumerateArray()
        .Select(f => new Finding(f.GetProperty("check").GetString()!, f.GetProperty("severity").GetString()!,
            f.GetProperty("commit").GetString(), f.GetProperty("message").GetString()!))
        .ToList();

    public IReadOnlyList<string> Messages(string check) => Findings.Where(f => f.Check == check).Select(f => f.Message).ToList();

    /// <summary>Whether the checks alone keep the topic from being ready (other stages did not run in these tests).</summary>
    public bool ChecksBlock => Report.GetProperty("reasons").EnumerateArray().Any(r => r.GetString()!.Contains("topic check error", StringComparison.Ordinal));

    public string Markdown => File.ReadAllText(Path.Combine(Pipeline.OutputDirectory, "report.md"));

    /// <summary>The trees are branches of the scenario's upstream repository; <paramref name="checks"/> is appended as the checks: section.</summary>
    public static CheckRun Execute(TopicScenario scenario, IEnumerable<(string Name, string Branch)> trees, string checks = "", params string[] args)
    {
        var config = scenario.WriteConfig(trees, extra: checks);
        var run = PipelineRun.Execute(scenario.Directory, null, ["Check", "--config", config, .. args]);
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory, "report.json")), string.Join("\n", run.Host.Lines));
        Assert.DoesNotContain(run.Host.Lines, l => l.Contains("Check failed", StringComparison.Ordinal));
        return new CheckRun { Pipeline = run };
    }

    public static string Sob(string person = "Alice Author <alice@example.org>") => $"Signed-off-by: {person}";

    public static string Short(string sha) => sha[..12];
}
