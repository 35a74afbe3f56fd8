using System.Reflection;
using System.Text.Json;
using Scriban;
using Scriban.Runtime;

namespace HmmCi.Reports;

/// <summary>
/// Renders the report through the templates in Reports/Templates. Templates see report.json itself
/// (same names, same values), so every rendering speaks the documented schema.
/// </summary>
public static class ReportTemplates
{
    public static string Render(string templateName, MergeReadinessReport report)
    {
        var template = Template.Parse(ReadTemplate(templateName), templateName);
        if (template.HasErrors) throw new InvalidOperationException($"{templateName}: {string.Join("; ", template.Messages)}");
        var globals = new ScriptObject { ["report"] = ToScript(JsonDocument.Parse(ReportJson.Serialize(report)).RootElement) };
        globals.Import("sha12", new Func<string?, string>(sha => sha is null ? "" : sha[..Math.Min(12, sha.Length)]));
        globals.Import("fence", new Func<string?, string>(Fence));
        // A kernel-sized conflict lists thousands of paths; Scriban's default cap of 1000 loop iterations would cut the report.
        var context = new TemplateContext { MemberRenamer = member => member.Name, StrictVariables = true, LoopLimit = 0 };
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

    private static string ReadTemplate(string name)
    {
        var assembly = Assembly.GetExecutingAssembly();
        var resource = assembly.GetManifestResourceNames().Single(r => r.EndsWith("." + name, StringComparison.Ordinal));
        using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
        return reader.ReadToEnd();
    }

    private static object? ToScript(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().Aggregate(new ScriptObject(), (o, p) => { o[p.Name] = ToScript(p.Value); return o; }),
        JsonValueKind.Array => new ScriptArray(element.EnumerateArray().Select(ToScript)),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
