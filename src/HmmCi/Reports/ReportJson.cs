using System.Text.Json;
using System.Text.Encodings.Web;
using System.Text.Json.Serialization;

namespace HmmCi.Reports;

public static class ReportJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Get-only lists (Reasons, Trees, ...) are filled in place; without this they are silently dropped on reading.
        PreferredObjectCreationHandling = JsonObjectCreationHandling.Populate,
    };

    public static string Serialize(MergeReadinessReport report) => JsonSerializer.Serialize(report, Options);

    /// <summary>Reads report.json back into the model, unchanged.</summary>
    public static MergeReadinessReport Deserialize(string json) =>
        JsonSerializer.Deserialize<MergeReadinessReport>(json, Options) ?? throw new JsonException("report.json is null");
}
