using System.Diagnostics;
using Spectre.Console;

namespace HmmCi.Build.Engine;

public enum TargetStatus { Succeeded, Failed, Skipped, NotRun, NotImplemented }

public sealed record TargetResult(string Name, TargetStatus Status, TimeSpan Duration, string? Reason);

/// <summary>The base of a build class, in the shape of Nuke's NukeBuild: targets are members, parameters are injected.</summary>
public abstract class PipelineBuild
{
    public const int ExitBadInput = 2;
    public const int ExitToolFailure = 3;

    private readonly List<TargetResult> _results = [];

    protected IBuildHost Host { get; private set; } = new TerminalHost();

    /// <summary>What ran so far, in order.</summary>
    public IReadOnlyList<TargetResult> Results => _results;

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
        var badInput = false;
        foreach (var target in plan)
        {
            var result = RunTarget(target, skipped.Contains(target), out var isBadInput);
            badInput |= isBadInput;
            _results.Add(result);
        }
        PrintSummary();
        return badInput ? ExitBadInput : ExitCode();
    }

    private TargetResult RunTarget(TargetDefinition target, bool skipped, out bool badInput)
    {
        badInput = false;
        if (skipped) return new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, "--skip");
        if (_results.Any(r => r.Status == TargetStatus.Failed) && !target.IsAssuredAfterFailure)
            return new(target.Name, TargetStatus.NotRun, TimeSpan.Zero, "an earlier target failed");
        var failedCondition = target.Conditions.FirstOrDefault(c => !c.Condition());
        if (failedCondition.Condition is not null)
        {
            Host.Info($"Skipping {target.Name}: {failedCondition.Reason}");
            return new(target.Name, TargetStatus.Skipped, TimeSpan.Zero, failedCondition.Reason);
        }

        var watch = Stopwatch.StartNew();
        Host.BeginTarget(target.Name);
        try
        {
            foreach (var action in target.Actions) action().GetAwaiter().GetResult();
            var status = target.NotImplementedReason is null ? TargetStatus.Succeeded : TargetStatus.NotImplemented;
            return new(target.Name, status, watch.Elapsed, target.NotImplementedReason);
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
