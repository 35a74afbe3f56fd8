using System.Text.Json.Serialization;

namespace HmmCi.Config;

/// <summary>How much a finding counts: hmmci.yml sets it per rule, the checks and the build report it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("warning")] Warning,
}
