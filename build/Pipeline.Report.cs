using HmmCi.Build.Engine;
using HmmCi.Reports;
using Spectre.Console;

namespace HmmCi.Build;

public partial class Pipeline
{
    [Parameter("Also write pull-request.txt: git request-pull for this tag of the topic, then the conflicts Linus will meet")]
    public string? RequestPull;

    Target Report => _ => _
        .Description("Decide the verdict and write report.json, .md, .html, .eml, kcidb.json (and pull-request.txt with --request-pull)")
        .AlwaysRuns()
        .After(Prerequisites, Sample, Fetch, Check, Merge, Build, Selftests)
        .Executes(async () =>
        {
            var report = ReadinessReport;
            report.GeneratedAt = DateTimeOffset.UtcNow;
            report.Stages.Clear();
            report.Stages.AddRange(Results.Select(r => new StageReport(r.Name, StageOf(r.Status), (long)r.Duration.TotalMilliseconds, r.Reason)));
            Readiness.Decide(report, Settings.Kernel);
            var files = ReportWriter.Write(report, Output, Settings.Email, ProcessEnvironment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary ? summary : null).ToList();
            if (RequestPull is { } tag)
            {
                try
                {
                    var (text, warnings) = await new RequestPull(Path.Combine(Workspace, "store.git"), Path.Combine(Settings.Directory, "resolutions")).RenderAsync(report, tag);
                    if (warnings.Length > 0) Host.Warning($"git request-pull: {warnings}");
                    files.Add(ReportWriter.WriteFile(Output, "pull-request.txt", text));
                }
                catch (RequestPullException e)
                {
                    throw new UsageException(e.Message);
                }
            }
            PrintSummary(report);
            foreach (var file in files) Host.Info($"wrote {Path.GetFullPath(file)}");
        });

    static StageStatus StageOf(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded => StageStatus.Pass,
        TargetStatus.Failed => StageStatus.Fail,
        TargetStatus.NotImplemented => StageStatus.NotImplemented,
        TargetStatus.NotRun => StageStatus.NotRun,
        TargetStatus.Cancelled => StageStatus.Cancelled,
        _ => StageStatus.Skipped,
    };

    static void PrintSummary(MergeReadinessReport report)
    {
        var table = new Table().Title($"{report.Topic.Name}: {Said(report.Verdict)}")
            .AddColumns("tree", "head", "merge", "build", "selftests", "verdict");
        foreach (var t in report.Trees)
            table.AddRow(t.Name, t.Head?[..12] ?? "-", t.Error is null ? WireNames.Of(t.Merge.Status) : "fetch failed",
                WireNames.Of(t.Build.Status), WireNames.Of(t.Selftests.Status), Said(t.Verdict));
        AnsiConsole.Write(table);
        foreach (var reason in report.Reasons) AnsiConsole.MarkupLine($"  - {Markup.Escape(reason)}");
    }

    static string Said(Verdict verdict) => verdict switch
    {
        Verdict.Ready => "[green]ready[/]",
        Verdict.Incomplete => "[yellow]incomplete[/]",
        _ => "[red]not ready[/]",
    };
}
