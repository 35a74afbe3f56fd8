using System.Text;
using HmmCi.Config;
using HmmCi.Reports.Email;

namespace HmmCi.Reports;

/// <summary>Writes the report's renderings into the output folder, all from one <see cref="ReportView"/>.</summary>
public static class ReportWriter
{
    /// <summary>GitHub's limit for one step's job summary.</summary>
    public const int StepSummaryLimit = 1 << 20;

    /// <summary>
    /// Writes report.json, then renders report.md, report.html, report.eml and kcidb.json from the report as it reads
    /// back; appends the Markdown to <paramref name="stepSummary"/> (GitHub's $GITHUB_STEP_SUMMARY) when given.
    /// </summary>
    public static IReadOnlyList<string> Write(MergeReadinessReport report, string outputDirectory, EmailConfig? email = null, string? stepSummary = null)
    {
        Directory.CreateDirectory(outputDirectory);
        var json = ReportJson.Serialize(report);
        var files = new List<string> { WriteFile(outputDirectory, "report.json", json) };
        var view = ReportView.FromJson(json);
        var read = ReportJson.Deserialize(json);
        files.Add(WriteFile(outputDirectory, "report.md", ReportTemplates.Render("report.md.sbn", view)));
        files.Add(WriteFile(outputDirectory, "report.html", ReportTemplates.Render("report.html.sbn", view)));
        var eml = Path.Combine(outputDirectory, "report.eml");
        ReportEmail.Message(view, email ?? EmailConfig.Default, read.GeneratedAt).WriteTo(eml);
        files.Add(eml);
        files.Add(WriteFile(outputDirectory, "kcidb.json", Kcidb.Export(read)));
        if (stepSummary is not null)
        {
            var used = File.Exists(stepSummary) ? (int)Math.Min(new FileInfo(stepSummary).Length, StepSummaryLimit) : 0;
            File.AppendAllText(stepSummary, SizedMarkdown.Render(view, StepSummaryLimit - used, s => Encoding.UTF8.GetByteCount(s), "bytes") + "\n");
        }
        return files;
    }

    public static string WriteFile(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}

/// <summary>
/// report.md within a size limit (GitHub's job summary, a check run's summary): problem details go first, then
/// everything but their headings; the tables always stay, and the text says what was left out.
/// </summary>
public static class SizedMarkdown
{
    public static string Render(ReportView view, int limit, Func<string, int> size, string unit)
    {
        var full = ReportTemplates.Render("report.md.sbn", view);
        if (size(full) <= limit) return full;
        var where = $"to stay under GitHub's limit of {limit:N0} {unit}; report.md and report.html in the artifacts have everything";
        var prose = ReportTemplates.Render("report.md.sbn", view, Detail.Prose, $"conflict hunks, compiler output, console lines and logs are left out {where}.");
        if (size(prose) <= limit) return prose;
        var note = $"each problem is listed by its heading only, {view.Problems.Count} in all, {where}.";
        var headings = ReportTemplates.Render("report.md.sbn", view, Detail.Headings, note);
        if (size(headings) <= limit) return headings;
        // Only a list of problems longer than the limit gets here: cut its end, past the tables.
        var cut = $"\n\n> **Cut:** the rest of the list is left out {where}.\n";
        var keep = headings[..Math.Max(0, Math.Min(headings.Length, limit - size(cut)))];
        while (size(keep) + size(cut) > limit) keep = keep[..(keep.Length * 9 / 10)];
        return keep[..(keep.LastIndexOf('\n') is var nl and > 0 ? nl : keep.Length)] + cut;
    }
}
