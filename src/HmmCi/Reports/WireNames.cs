using System.Text.Json;

namespace HmmCi.Reports;

public static class WireNames
{
    /// <summary>An enum value as report.json spells it (e.g. "not-implemented").</summary>
    public static string Of<T>(T value) where T : struct, Enum => JsonSerializer.Serialize(value).Trim('"');
}
