namespace HmmCi.Trees;

/// <summary>
/// Passes on a progress line when enough time went by since the last one, or when a step finishes ("done"),
/// so a long fetch shows it is alive without flooding a CI log with every redraw of git's meters.
/// </summary>
public sealed class ProgressThrottle(TimeSpan interval, Action<string> sink, Func<DateTimeOffset>? clock = null)
{
    private readonly Func<DateTimeOffset> _now = clock ?? (() => DateTimeOffset.UtcNow);
    private DateTimeOffset? _last;

    public void Offer(string line)
    {
        var now = _now();
        var finished = line.EndsWith(", done.", StringComparison.Ordinal);
        if (!finished && _last is { } last && now - last < interval) return;
        _last = now;
        sink(line);
    }
}
