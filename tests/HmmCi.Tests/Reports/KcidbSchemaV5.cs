using System.Text.Json;
using System.Text.RegularExpressions;

namespace HmmCi.Tests.Reports;

/// <summary>
/// kcidb I/O schema v5.3, written here from the definitions in kernelci/kcidb-io (kcidb_io/schema/v05_03.py): each
/// object's properties with their types, patterns and limits, the required ones, and no others allowed.
/// </summary>
public static class KcidbSchemaV5
{
    public enum Kind { String, Boolean, Number, Integer, Object, StringArray, Resources, Status, Uri, DateTime }

    public sealed record Field(Kind Kind, string? Pattern = null, int? MaxLength = null);

    const string NoNul = "^[^\\0]*$";
    const string Origin = "^[a-z0-9_]+$";
    const string OriginId = "^[a-z0-9_]+:[^\\0]*$";
    static readonly Field Text = new(Kind.String, NoNul);
    static readonly Field Excerpt = new(Kind.String, NoNul, 16384);

    public static readonly IReadOnlyDictionary<string, (IReadOnlyDictionary<string, Field> Fields, string[] Required)> Objects = new Dictionary<string, (IReadOnlyDictionary<string, Field>, string[])>
    {
        ["checkout"] = (new Dictionary<string, Field>
        {
            ["_timestamp"] = new(Kind.DateTime), ["id"] = new(Kind.String, OriginId), ["origin"] = new(Kind.String, Origin), ["tree_name"] = Text,
            ["git_repository_url"] = new(Kind.Uri, "^https://[^\\0]*$"), ["git_commit_hash"] = new(Kind.String, "^[0-9a-f]{40}$"), ["git_commit_name"] = Text,
            ["git_commit_tags"] = new(Kind.StringArray, NoNul), ["git_commit_message"] = Text, ["git_repository_branch"] = Text,
            ["git_repository_branch_tip"] = new(Kind.Boolean), ["patchset_files"] = new(Kind.Resources), ["patchset_hash"] = new(Kind.String, "^$|^[0-9a-f]{64}$"),
            ["message_id"] = new(Kind.String, "^[^@\\s]+@[^@\\s]+$"), ["comment"] = Text, ["start_time"] = new(Kind.DateTime),
            ["origin_builds_finish_time"] = new(Kind.DateTime), ["origin_tests_finish_time"] = new(Kind.DateTime),
            ["log_url"] = new(Kind.Uri), ["log_excerpt"] = Excerpt, ["valid"] = new(Kind.Boolean), ["misc"] = new(Kind.Object),
        }, ["id", "origin"]),
        ["build"] = (new Dictionary<string, Field>
        {
            ["_timestamp"] = new(Kind.DateTime), ["checkout_id"] = new(Kind.String, OriginId), ["id"] = new(Kind.String, OriginId), ["origin"] = new(Kind.String, Origin),
            ["comment"] = Text, ["start_time"] = new(Kind.DateTime), ["duration"] = new(Kind.Number), ["architecture"] = new(Kind.String, "^[a-z0-9_]*$"),
            ["command"] = Text, ["compiler"] = Text, ["input_files"] = new(Kind.Resources), ["output_files"] = new(Kind.Resources), ["config_name"] = Text,
            ["config_url"] = new(Kind.Uri), ["log_url"] = new(Kind.Uri), ["log_excerpt"] = Excerpt, ["status"] = new(Kind.Status), ["misc"] = new(Kind.Object),
        }, ["checkout_id", "id", "origin"]),
        ["test"] = (new Dictionary<string, Field>
        {
            ["_timestamp"] = new(Kind.DateTime), ["build_id"] = new(Kind.String, OriginId), ["id"] = new(Kind.String, OriginId), ["origin"] = new(Kind.String, Origin),
            ["environment"] = new(Kind.Object), ["path"] = new(Kind.String, "^([a-zA-Z0-9_-]+(\\.[a-zA-Z0-9_-]+)*)?$"), ["comment"] = Text, ["log_url"] = new(Kind.Uri),
            ["log_excerpt"] = Excerpt, ["status"] = new(Kind.Status), ["number"] = new(Kind.Object), ["start_time"] = new(Kind.DateTime), ["duration"] = new(Kind.Number),
            ["input_files"] = new(Kind.Resources), ["output_files"] = new(Kind.Resources), ["misc"] = new(Kind.Object),
        }, ["build_id", "id", "origin"]),
    };

    static readonly string[] Statuses = ["FAIL", "ERROR", "MISS", "PASS", "DONE", "SKIP"];
    static readonly (string List, string Object)[] Lists = [("checkouts", "checkout"), ("builds", "build"), ("tests", "test")];

    /// <summary>Every way the document breaks the schema, as "path: problem"; empty when it is valid.</summary>
    public static List<string> Validate(string json)
    {
        var errors = new List<string>();
        var root = JsonDocument.Parse(json).RootElement;
        if (root.ValueKind != JsonValueKind.Object) return ["$: not an object"];
        foreach (var property in root.EnumerateObject().Where(p => p.Name != "version" && Lists.All(l => l.List != p.Name) && p.Name is not ("issues" or "incidents")))
            errors.Add($"$.{property.Name}: not a kcidb property");
        if (!root.TryGetProperty("version", out var version)) errors.Add("$.version: missing");
        else
        {
            if (!version.TryGetProperty("major", out var major) || major.ValueKind != JsonValueKind.Number || major.GetInt32() != 5) errors.Add("$.version.major: must be 5");
            if (version.TryGetProperty("minor", out var minor) && (minor.ValueKind != JsonValueKind.Number || minor.GetInt32() is < 0 or > 3)) errors.Add("$.version.minor: must be 0..3");
            foreach (var p in version.EnumerateObject().Where(p => p.Name is not ("major" or "minor"))) errors.Add($"$.version.{p.Name}: not allowed");
        }
        foreach (var (list, type) in Lists)
        {
            if (!root.TryGetProperty(list, out var items)) continue;
            if (items.ValueKind != JsonValueKind.Array) { errors.Add($"$.{list}: not an array"); continue; }
            var i = 0;
            foreach (var item in items.EnumerateArray()) ValidateObject(item, type, $"$.{list}[{i++}]", errors);
        }
        return errors;
    }

    static void ValidateObject(JsonElement item, string type, string path, List<string> errors)
    {
        if (item.ValueKind != JsonValueKind.Object) { errors.Add($"{path}: not an object"); return; }
        var (fields, required) = Objects[type];
        foreach (var name in required.Where(r => !item.TryGetProperty(r, out _))) errors.Add($"{path}.{name}: required");
        foreach (var property in item.EnumerateObject())
        {
            var at = $"{path}.{property.Name}";
            if (!fields.TryGetValue(property.Name, out var field)) { errors.Add($"{at}: not a {type} property"); continue; }
            var value = property.Value;
            var ok = field.Kind switch
            {
                Kind.String or Kind.Uri or Kind.DateTime or Kind.Status => value.ValueKind == JsonValueKind.String,
                Kind.Boolean => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                Kind.Number => value.ValueKind == JsonValueKind.Number,
                Kind.Integer => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
                Kind.Object => value.ValueKind == JsonValueKind.Object,
                _ => value.ValueKind == JsonValueKind.Array,
            };
            if (!ok) { errors.Add($"{at}: expected {field.Kind}, got {value.ValueKind}"); continue; }
            if (value.ValueKind != JsonValueKind.String) continue;
            var text = value.GetString()!;
            if (field.Pattern is { } pattern && !Regex.IsMatch(text, pattern)) errors.Add($"{at}: '{Short(text)}' does not match {pattern}");
            if (field.MaxLength is { } max && text.Length > max) errors.Add($"{at}: longer than {max}");
            if (field.Kind == Kind.Status && !Statuses.Contains(text)) errors.Add($"{at}: '{text}' is not a status");
            if (field.Kind == Kind.Uri && !Uri.TryCreate(text, UriKind.Absolute, out _)) errors.Add($"{at}: '{Short(text)}' is not a URI");
            if (field.Kind == Kind.DateTime && !DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _)) errors.Add($"{at}: not a date-time");
        }
    }

    static string Short(string text) => text.Length > 60 ? text[..60] + "..." : text;
}
