using System.Reflection;
using Scriban;
using Scriban.Runtime;

namespace HmmCi.Reports;

/// <summary>How much of each problem a rendering shows; a size-limited one steps down until it fits.</summary>
public enum Detail
{
    /// <summary>Problem headings only (the tables stay).</summary>
    Headings = 0,
    /// <summary>Problems without excerpts, compiler output and logs.</summary>
    Prose = 1,
    Full = 2,
}

/// <summary>
/// Renders the report's view model (<see cref="ReportView"/>) through the templates in Reports/Templates. Templates
/// see the view's members in snake_case (<c>view.trees</c>, <c>tree.merge.status</c>); they lay out, never decide.
/// </summary>
public static class ReportTemplates
{
    public static string Render(string templateName, MergeReadinessReport report) => Render(templateName, ReportView.Of(report));

    /// <summary>Renders the view; <paramref name="trimmed"/> is the sentence that says what a size limit left out.</summary>
    public static string Render(string templateName, ReportView view, Detail detail = Detail.Full, string? trimmed = null)
    {
        var template = Parsed.GetOrAdd(templateName, name =>
        {
            var parsed = Template.Parse(ReadTemplate(name), name);
            return parsed.HasErrors ? throw new InvalidOperationException($"{name}: {string.Join("; ", parsed.Messages)}") : parsed;
        });
        var globals = new ScriptObject { ["view"] = view, ["detail"] = (int)detail, ["trimmed"] = trimmed };
        globals.Import("fence", new Func<string?, string>(Fence));
        globals.Import("cell", new Func<string?, string>(text => (text ?? "").Replace("|", "\\|").Replace("\n", " ")));
        // A kernel-sized conflict lists thousands of paths; Scriban's default cap of 1000 loop iterations would cut the report.
        var context = new TemplateContext { StrictVariables = true, LoopLimit = 0, EnableRelaxedMemberAccess = false };
        context.PushGlobal(globals);
        return template.Render(context);
    }

    /// <summary>A Markdown code fence longer than any backtick run in the text, so quoted tree content cannot close it.</summary>
    public static string Fence(string? text)
    {
        int longest = 0, run = 0;
        foreach (var ch in text ?? "")
        {
            run = ch == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return new string('`', Math.Max(3, longest + 1));
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Template> Parsed = new();

    private static string ReadTemplate(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(r => r.EndsWith("." + name, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }
}
