using System.Text;

namespace HmmCi.Merging;

/// <summary>The conflicted hunks of a file, with a little context, bounded in size; null text when there is none.</summary>
public sealed record Excerpt(string? Text, bool Truncated)
{
    public static readonly Excerpt None = new(null, false);
}

/// <summary>Cuts the hunks with conflict markers out of a merged file, as a maintainer would quote them.</summary>
public static class ConflictExcerpt
{
    public const int DefaultMaxLines = 200;
    public const int DefaultMaxBytes = 16 * 1024;
    private const int Context = 3;

    public static Excerpt From(string text, int maxLines = DefaultMaxLines, int maxBytes = DefaultMaxBytes)
    {
        var lines = text.Split('\n');
        if (lines.Length > 0 && lines[^1].Length == 0) lines = lines[..^1];
        var ranges = HunkRanges(lines);
        if (ranges.Count == 0) return Excerpt.None;

        var output = new StringBuilder();
        var lineCount = 0;
        var byteCount = 0;
        foreach (var (start, end) in ranges)
        {
            var header = $"@@ line {start + 1} @@";
            if (!Fits(header)) return Done(truncated: true);
            for (var i = start; i <= end; i++)
                if (!Fits(lines[i])) return Done(truncated: true);
        }
        return Done(truncated: false);

        Excerpt Done(bool truncated) => new(output.Length == 0 ? null : output.ToString().TrimEnd('\n'), truncated);

        bool Fits(string line)
        {
            var bytes = Encoding.UTF8.GetByteCount(line) + 1;
            if (lineCount + 1 > maxLines || byteCount + bytes > maxBytes) return false;
            output.Append(line).Append('\n');
            lineCount++;
            byteCount += bytes;
            return true;
        }
    }

    /// <summary>Each conflict from its ours-marker to its theirs-marker, widened by context; overlapping ones joined.</summary>
    private static List<(int Start, int End)> HunkRanges(string[] lines)
    {
        var ranges = new List<(int Start, int End)>();
        int? open = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (open is null && ConflictMarkers.IsMarker(lines[i], ConflictMarkers.Ours)) open = i;
            else if (open is { } start && ConflictMarkers.IsMarker(lines[i], ConflictMarkers.Theirs))
            {
                var range = (Start: Math.Max(0, start - Context), End: Math.Min(lines.Length - 1, i + Context));
                if (ranges.Count > 0 && ranges[^1].End >= range.Start - 1) ranges[^1] = (ranges[^1].Start, range.End);
                else ranges.Add(range);
                open = null;
            }
        }
        return ranges;
    }
}
