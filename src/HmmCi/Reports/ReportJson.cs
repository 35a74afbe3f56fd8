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
    };

    public static string Serialize(MergeReadinessReport report) => JsonSerializer.Serialize(report, Options);
}
