using System.Diagnostics;
using HmmCi.Reports;

namespace HmmCi.Selftests;

/// <summary>What one boot showed: the parsed tests, the run's status and why, and the console problems.</summary>
public sealed record SelftestOutcome(KtapResult Result, StageStatus Status, string? Reason, TimeSpan Duration)
{
    public IReadOnlyList<KernelProblem> Problems { get; init; } = [];
    /// <summary>From the machine's start to the first test result (null when none came).</summary>
    public TimeSpan? FirstResult { get; init; }
    /// <summary>Time spent in HmmCi's own console handling (parsing, problem detection, the log) during the run.</summary>
    public TimeSpan Overhead { get; init; }
    public long ConsoleLines { get; init; }

    public IEnumerable<KtapTest> Tests => Result.Leaves();
    public int Count(params TestStatus[] statuses) => Tests.Count(t => statuses.Contains(t.Status));
}

/// <summary>
/// One boot of one kernel: feeds the console to the log (capped), the KTAP parser (between the markers) and the kernel
/// problem detector, and stops the machine when no new result came for <c>testTimeout</c> (the watchdog: the running test
/// is a timeout, the tests after it missing), at the run timeout, or as soon as every test in <c>stopAfter</c> reported.
/// </summary>
public sealed class SelftestSession(ISelftestMachine machine, TimeSpan testTimeout, TimeSpan runTimeout)
{
    public async Task<SelftestOutcome> RunAsync(SelftestBoot boot, string consolePath, IReadOnlySet<string>? stopAfter, CancellationToken cancellation)
    {
        using var console = new ConsoleLog(consolePath);
        var parser = new KtapParser();
        var problems = new KernelProblems();
        var gate = new object();
        var started = !machine.PrintsMarkers;
        int? exitCode = null;
        var clock = Stopwatch.StartNew();
        var lastProgress = TimeSpan.Zero;
        TimeSpan? firstResult = null;
        var overhead = new Stopwatch();
        var waiting = stopAfter?.ToHashSet();
        var stoppedEarly = false;
        var watchdogFired = false;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);

        void OnLine(string line)
        {
            lock (gate)
            {
                overhead.Start();
                console.Add(line);
                problems.Feed(line, parser.Running);
                if (!started)
                {
                    if (line.Contains(Initramfs.StartMarker, StringComparison.Ordinal))
                    {
                        started = true;
                        lastProgress = clock.Elapsed;
                    }
                }
                else if (exitCode is null && line.IndexOf(Initramfs.EndMarkerPrefix, StringComparison.Ordinal) is var at and >= 0)
                    exitCode = int.TryParse(line.AsSpan(at + Initramfs.EndMarkerPrefix.Length).Trim(), out var code) ? code : -1;
                else if (exitCode is null && parser.Feed(line) is { } result)
                {
                    lastProgress = clock.Elapsed;
                    firstResult ??= clock.Elapsed;
                    if (waiting is not null && waiting.Remove(result.Name) && waiting.Count == 0)
                    {
                        stoppedEarly = true;
                        stop.Cancel();
                    }
                }
                overhead.Stop();
            }
        }

        var watchdog = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), stop.Token);
                    lock (gate)
                        if (clock.Elapsed - lastProgress > testTimeout)
                        {
                            watchdogFired = true;
                            stop.Cancel();
                        }
                }
            }
            catch (OperationCanceledException)
            {
                // The run ended or was stopped.
            }
        }, CancellationToken.None);

        Processes.ProcessResult? exited = null;
        try
        {
            exited = await machine.RunAsync(boot, OnLine, runTimeout, stop.Token);
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            // Stopped by the watchdog or because the tests asked for had reported.
        }
        finally
        {
            stop.Cancel();
            await watchdog;
        }

        lock (gate)
        {
            overhead.Start();
            var result = parser.Finish(watchdogFired ? TestStatus.Timeout : TestStatus.Missing);
            console.Close();
            var (status, reason) = Judge(result, exited, started, exitCode, watchdogFired, stoppedEarly, problems.Found, console);
            overhead.Stop();
            return new SelftestOutcome(result, status, reason, clock.Elapsed)
            {
                Problems = problems.Found.ToList(),
                FirstResult = firstResult,
                Overhead = overhead.Elapsed,
                ConsoleLines = console.Lines,
            };
        }
    }

    /// <summary>90 s, 15 min.</summary>
    public static string Say(TimeSpan span) =>
        span < TimeSpan.FromMinutes(2) ? $"{span.TotalSeconds:0.#} s" : $"{span.TotalMinutes:0.#} min";

    static StageStatus StatusOf(KtapResult result) =>
        result.Leaves().Any(t => t.Status is TestStatus.Fail or TestStatus.Timeout or TestStatus.Error or TestStatus.XPass)
            ? StageStatus.Fail : StageStatus.Pass;

    (StageStatus, string?) Judge(KtapResult result, Processes.ProcessResult? exited, bool started, int? exitCode, bool watchdogFired,
        bool stoppedEarly, IReadOnlyList<KernelProblem> problems, ConsoleLog console)
    {
        string LastLines() => string.Join(" | ", console.LastLines(5).Select(l => l.Trim()));
        var panic = problems.FirstOrDefault(p => p.Kind == "panic");
        if (!started)
        {
            if (panic is not null) return (StageStatus.Error, $"the kernel panicked before hmm-tests started: {panic.Lines[0]}");
            return (StageStatus.Error, watchdogFired
                ? $"boot timeout: no start marker within {Say(testTimeout)}; last console lines: {LastLines()}"
                : exited is { TimedOut: true }
                    ? $"run timeout ({Say(runTimeout)}) before hmm-tests started; last console lines: {LastLines()}"
                    : $"the machine exited (code {exited?.ExitCode}) before hmm-tests started; last console lines: {LastLines()}");
        }
        if (stoppedEarly) return (StatusOf(result), "stopped once the tests asked for had reported");
        var missing = result.Leaves().Count(t => t.Status == TestStatus.Missing);
        var timedOut = result.Leaves().FirstOrDefault(t => t.Status == TestStatus.Timeout);
        if (watchdogFired)
            return (StageStatus.Error, $"no new result for {Say(testTimeout)}: {timedOut?.Name ?? "the run"} timed out and the machine was stopped; {missing} tests never ran");
        if (exited is { TimedOut: true })
            return (StageStatus.Error, $"run timeout ({Say(runTimeout)}): {missing} tests never ran");
        if (!result.Complete || missing > 0)
        {
            var why = panic is not null ? $"the kernel panicked: {panic.Lines[0]}"
                : result.Plan is null ? "hmm-tests printed no TAP plan"
                : exitCode is null ? $"the console stopped; last console lines: {LastLines()}"
                : $"hmm-tests exited with code {exitCode}";
            return (StageStatus.Error, $"{missing} of {result.Plan?.ToString() ?? "?"} tests never reported: {why}");
        }
        return (StatusOf(result), null);
    }
}
