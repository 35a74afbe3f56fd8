using System.Diagnostics;
using System.Text.RegularExpressions;

namespace HmmCi.Kernel;

/// <summary>
/// Counts what make compiled (its quiet <c>  CC  lib/x.o</c> lines) and says so every few seconds with the elapsed
/// time, so a three-minute build never looks hung.
/// </summary>
public sealed partial class MakeProgress : IAsyncDisposable
{
    readonly Stopwatch _watch = Stopwatch.StartNew();
    readonly CancellationTokenSource _stop = new();
    readonly Task _ticker;
    int _objects;
    string? _step;

    public MakeProgress(string label, TimeSpan interval, Action<string> sink)
    {
        _ticker = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            try
            {
                while (await timer.WaitForNextTickAsync(_stop.Token))
                    sink($"{label}: {Elapsed(_watch.Elapsed)}, {Volatile.Read(ref _objects)} objects compiled{(_step is { } s ? $" ({s})" : "")}");
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public int Objects => Volatile.Read(ref _objects);

    public void Offer(string line)
    {
        if (Compiled().IsMatch(line)) Interlocked.Increment(ref _objects);
        else if (line.StartsWith(BuildScript.Marker, StringComparison.Ordinal)) _step = line[BuildScript.Marker.Length..];
    }

    public static string Elapsed(TimeSpan elapsed) =>
        elapsed.TotalMinutes >= 1 ? $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s" : $"{elapsed.TotalSeconds:0}s";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _ticker;
        _stop.Dispose();
    }

    [GeneratedRegex(@"^\s+(CC|AS|HOSTCC|CC \[M\]|HOSTCXX)\s+\S")]
    private static partial Regex Compiled();
}
