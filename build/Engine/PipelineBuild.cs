using System.Diagnostics;
using System.Runtime.InteropServices;
using HmmCi.Processes;
using Spectre.Console;

namespace HmmCi.Build.Engine;

public enum TargetStatus { Succeeded, Failed, Skipped, NotRun, NotImplemented, Cancelled }

public sealed record TargetResult(string Name, TargetStatus Status, TimeSpan Duration, string? Reason);

/// <summary>The base of a build class, in the shape of Nuke's NukeBuild: targets are members, parameters are injected.</summary>
public abstract class PipelineBuild
{
    public const int ExitBadInput = 2;
    public const int ExitToolFailure = 3;
    /// <summary>Nothing was found wrong, but something could not be verified.</summary>
    public const int ExitIncomplete = 4;
    /// <summary>The run was cancelled (Ctrl-C, SIGTERM), as a shell reports a process killed by SIGINT (128 + 2).</summary>
    public const int ExitCancelled = 130;

    /// <summary>How long each cleanup may take (removing a container that is still stopping).</summary>
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(60);

    private readonly List<TargetResult> _results = [];
    private readonly CancellationTokenSource _cancellation = new();
    private string? _cancelledBy;
    private IReadOnlySet<string> _planned = new HashSet<string>();

    protected IBuildHost Host { get; private set; } = new TerminalHost();

    /// <summary>What ran so far, in order.</summary>
    public IReadOnlyList<TargetResult> Results => _results;

    /// <summary>
    /// Cancelled when the run is (<see cref="Cancel"/>, Ctrl-C, SIGTERM). The same token the targets' actions receive,
    /// for targets that pass it on from a parameterless action.
    /// </summary>
    public CancellationToken Cancellation => _cancellation.Token;

    public bool IsCancelled => _cancellation.IsCancellationRequested;

    /// <summary>What the run must undo however it ends (containers it started, ...): run on cancellation and at the end.</summary>
    protected RunCleanup Cleanup { get; } = new();

    /// <summary>The names of the targets this invocation runs: the plan without what <c>--skip</c> removed.</summary>
    protected IReadOnlySet<string> PlannedTargets => _planned;

    /// <summary>
    /// Cancels the run: the running target's token is cancelled, the targets after it do not run, except those that
    /// always run (the report), and the run exits <see cref="ExitCancelled"/>. <paramref name="cause"/> names why (SIGTERM).
    /// </summary>
    public void Cancel(string cause)
    {
        lock (_cancellation)
        {
            if (_cancelledBy is not null) return;
            _cancelledBy = cause;
        }
        Host.Warning($"{cause}: cancelling the run; the report is still written (send it again to stop at once)");
        // The token's callbacks kill process groups, which takes seconds: not on the caller's (the signal's) thread.
        _ = _cancellation.CancelAsync();
    }

    /// <summary>
    /// Ctrl-C (SIGINT) and SIGTERM cancel the run; a second one stops at once: the cleanups run, no report is
    /// written, the exit code is still <see cref="ExitCancelled"/>. Dispose to restore the default handling.
    /// </summary>
    public IDisposable CancelOnSignals()
    {
        var registrations = new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }
            .Select(signal => PosixSignalRegistration.Create(signal, OnSignal)).ToList();
        return new Registrations(registrations);
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        var name = context.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";
        if (!IsCancelled)
        {
            Cancel(name);
            return;
        }
        Host.Warning($"{name} again: stopping at once, without the report");
        RunCleanupAsync().GetAwaiter().GetResult();
        Environment.Exit(ExitCancelled);
    }

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose() => registrations.ForEach(r => r.Dispose());
    }

    /// <summary>Config-file values for parameters not given on the command line or in the environment.</summary>
    protected virtual IReadOnlyDictionary<string, string> LoadParameterDefaults() => new Dictionary<string, string>();

    /// <summary>Runs once every parameter has its value, before the plan; may reject the input with <see cref="UsageException"/>.</summary>
    protected virtual void OnParametersReady() { }

    /// <summary>The process exit code once every target in the plan has had its turn.</summary>
    protected virtual int ExitCode() => _results.Any(r => r.Status == TargetStatus.Failed) ? ExitToolFailure : 0;

    public int Run(string[] args, Func<string, string?> environment, IBuildHost host, params Target[] defaultTargets)
    {
        Host = host;
        List<TargetDefinition> plan;
        HashSet<TargetDefinition> skipped;
        try
        {
            var graph = TargetGraph.From(this);
            var parameters = Parameter.Of(GetType());
            var commandLine = CommandLine.Parse(args);
            if (commandLine.Options.ContainsKey("help"))
            {
                PrintHelp(graph, parameters, defaultTargets.Select(graph.Resolve), this);
                return 0;
            }
            var unset = ParameterInjection.FromCommandLineAndEnvironment(this, parameters, commandLine, environment);
            ParameterInjection.FromConfig(this, unset, LoadParameterDefaults(), "config");
            OnParametersReady();

            var invoked = commandLine.Targets.Count > 0
                ? commandLine.Targets.Select(graph.Find).ToList()
                : defaultTargets.Select(graph.Resolve).ToList();
            plan = graph.Plan(invoked.Select(t => t.Name)).ToList();
            skipped = commandLine.Options.TryGetValue("skip", out var skip)
                ? skip.Count == 0
                    ? plan.Except(invoked).Where(t => !t.IsAlwaysRun).ToHashSet() // a bare --skip runs only what was asked for, as in Nuke
                    : skip.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries)).Select(graph.Find).ToHashSet()
                : [];
        }
        catch (Exception e) when (e is UsageException or TargetGraphException)
        {
            host.Error(e.Message, (e as UsageException)?.File, (e as UsageException)?.Line);
            return ExitBadInput;
        }

        host.Info("Plan: " + string.Join(" -> ", plan.Select(t =>
            t.Name + (skipped.Contains(t) ? " (skipped)" : t.NotImplementedReason is not null ? " (not implemented)" : ""))));
        _planned = plan.Where(t => !skipped.Contains(t)).Select(t => t.Name).ToHashSet();
        var badInput = false;
        foreach (var target in plan)
        {
            // What the cancelled target left (containers) goes before anything else runs.
            if (IsCancelled) RunCleanupAsync().GetAwaiter().GetResult();
            var result = RunTarget(target, skipped.Contains(target), out var isBadInput);
            badInput |= isBadInput;
            _results.Add(result);
        }
        RunCleanupAsync().GetAwaiter().GetResult();
        PrintSummary();
        return IsCancelled ? ExitCancelled : badInput ? ExitBadInput : ExitCode();
    }

    private async Task RunCleanupAsync()
    {
        foreach (var failure in await Cleanup.RunAsync(CleanupLimit)) Host.Warning($"cleanup: {failure}");
    }

    private TargetResult RunTarget(TargetDefinition target, bool skipped, out bool badInput)
    {
        badInput = false;
        if (skipped) return new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, "--skip");
        if (IsCancelled && !target.IsAlwaysRun)
            return new(target.Name, TargetStatus.Cancelled, TimeSpan.Zero, $"{_cancelledBy}, before it started");
        if (_results.Any(r => r.Status == TargetStatus.Failed) && !target.IsAssuredAfterFailure)
            return new(target.Name, TargetStatus.NotRun, TimeSpan.Zero, "an earlier target failed");
        var failedCondition = target.Conditions.FirstOrDefault(c => !c.Condition());
        if (failedCondition.Condition is not null)
        {
            Host.Info($"Skipping {target.Name}: {failedCondition.Reason}");
            return new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, failedCondition.Reason);
        }

        // The report must be written whatever happened: what always runs is never cancelled.
        var token = target.IsAlwaysRun ? CancellationToken.None : Cancellation;
        var watch = Stopwatch.StartNew();
        Host.BeginTarget(target.Name);
        try
        {
            foreach (var action in target.Actions) action(token).GetAwaiter().GetResult();
            var status = target.NotImplementedReason is null ? TargetStatus.Succeeded : TargetStatus.NotImplemented;
            return new(target.Name, status, watch.Elapsed, target.NotImplementedReason);
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
            // Whatever it threw (a cancellation, a killed child's error), it stopped because the run was cancelled.
            Host.Warning($"{target.Name} cancelled ({_cancelledBy})");
            return new(target.Name, TargetStatus.Cancelled, watch.Elapsed, $"{_cancelledBy} after {watch.Elapsed.TotalSeconds:0.0} s");
        }
        catch (Exception e)
        {
            badInput = e is UsageException;
            Host.Error(badInput ? e.Message : $"{target.Name} failed: {e}");
            return new(target.Name, TargetStatus.Failed, watch.Elapsed, e.Message);
        }
        finally
        {
            Host.EndTarget(target.Name);
        }
    }

    private void PrintSummary()
    {
        var table = new Table().AddColumns("Target", "Status", "Duration", "Note");
        foreach (var r in _results)
            table.AddRow(Markup.Escape(r.Name), StatusMarkup(r.Status), $"{r.Duration.TotalSeconds:0.0}s", Markup.Escape(r.Reason ?? ""));
        AnsiConsole.Write(table);
    }

    private static string StatusMarkup(TargetStatus status) => status switch
    {
        TargetStatus.Succeeded => "[green]succeeded[/]",
        TargetStatus.Failed => "[red]failed[/]",
        TargetStatus.NotImplemented => "[yellow]not implemented[/]",
        TargetStatus.NotRun => "[grey]not run[/]",
        TargetStatus.Cancelled => "[yellow]cancelled[/]",
        _ => "[grey]skipped[/]",
    };

    private static void PrintHelp(TargetGraph graph, IReadOnlyList<Parameter> parameters, IEnumerable<TargetDefinition> defaults, object build)
    {
        var defaultNames = defaults.Select(d => d.Name).ToHashSet();
        Console.WriteLine("Usage: ./build.sh [Target ...] [--parameter value ...]");
        Console.WriteLine();
        Console.WriteLine("Targets:");
        foreach (var t in graph.Plan(graph.Targets.Select(x => x.Name)))
        {
            var notes = new List<string>();
            if (defaultNames.Contains(t.Name)) notes.Add("default");
            if (t.IsAlwaysRun) notes.Add("always runs");
            if (t.NotImplementedReason is not null) notes.Add("not implemented");
            Console.WriteLine($"  {t.Name,-14}{t.DescriptionText}{(notes.Count > 0 ? $" ({string.Join(", ", notes)})" : "")}");
        }
        Console.WriteLine();
        Console.WriteLine("Parameters (command line, else environment, else the config's parameters: section):");
        foreach (var p in parameters)
        {
            var value = p.GetValue(build) is string[] list ? string.Join(",", list) : p.GetValue(build)?.ToString();
            var initial = string.IsNullOrEmpty(value) ? "" : $", default {value}";
            Console.WriteLine($"  {p.OptionName,-22}{p.Description} [env {p.EnvironmentName}{initial}]");
        }
        Console.WriteLine($"  {"--skip [Target ...]",-22}Skip these targets (all dependencies when none are named)");
        Console.WriteLine($"  {"--help",-22}This help");
    }
}
