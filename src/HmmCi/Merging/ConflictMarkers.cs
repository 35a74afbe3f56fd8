namespace HmmCi.Merging;

/// <summary>Git's conflict markers in a merged file.</summary>
public static class ConflictMarkers
{
    public const string Ours = "<<<<<<<";
    public const string Separator = "=======";
    public const string Theirs = ">>>>>>>";

    public static bool HasMarkers(string text)
    {
        foreach (var line in text.AsSpan().EnumerateLines())
            if (IsMarker(line, Ours)) return true;
        return false;
    }

    /// <summary>
    /// Replaces the marker labels (git writes the merged commits' ids, sometimes with a path) with tree names, so
    /// the same conflict reads the same in every run: excerpts are readable and recorded resolutions can match.
    /// </summary>
    public static string Relabel(string text, string ours, string theirs)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (IsMarker(lines[i], Ours)) lines[i] = $"{Ours} {ours}";
            else if (IsMarker(lines[i], Theirs)) lines[i] = $"{Theirs} {theirs}";
        }
        return string.Join('\n', lines);
    }

    // Exactly seven characters then a space or the line's end: longer runs are inner markers of a virtual merge base.
    internal static bool IsMarker(ReadOnlySpan<char> line, string marker) =>
        line.StartsWith(marker, StringComparison.Ordinal) && (line.Length == marker.Length || line[marker.Length] == ' ');
}
