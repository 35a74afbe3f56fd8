namespace HmmCi.Reports;

/// <summary>Writes the report's renderings into the output folder.</summary>
public static class ReportWriter
{
    public static IReadOnlyList<string> Write(MergeReadinessReport report, string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var files = new List<string>
        {
            WriteFile(outputDirectory, "report.json", ReportJson.Serialize(report)),
            WriteFile(outputDirectory, "report.md", ReportTemplates.Render("report.md.sbn", report)),
            WriteFile(outputDirectory, "report.html", ReportTemplates.Render("report.html.sbn", report)),
        };
        return files;
    }

    private static string WriteFile(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content);
        return path;
    }
}
