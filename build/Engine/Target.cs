namespace HmmCi.Build.Engine;

/// <summary>A target as Nuke declares it: <c>Target Fetch => _ => _.DependsOn(...).Executes(...)</c>.</summary>
public delegate TargetDefinition Target(TargetDefinition definition);

public sealed class TargetDefinition
{
    internal TargetDefinition(string name) => Name = name;

    public string Name { get; }
    internal string? DescriptionText { get; private set; }
    internal List<Target> Dependencies { get; } = [];
    internal List<Target> Predecessors { get; } = [];
    internal List<(Func<bool> Condition, string Reason)> Conditions { get; } = [];
    internal bool IsAlwaysRun { get; private set; }
    internal bool IsAssuredAfterFailure { get; private set; }
    internal string? NotImplementedReason { get; private set; }
    internal List<Func<CancellationToken, Task>> Actions { get; } = [];

    public TargetDefinition Description(string text) { DescriptionText = text; return this; }

    /// <summary>The targets must run, and succeed, before this one.</summary>
    public TargetDefinition DependsOn(params Target[] targets) { Dependencies.AddRange(targets); return this; }

    /// <summary>Orders this target after the given ones when both are in the plan, without pulling them in.</summary>
    public TargetDefinition After(params Target[] targets) { Predecessors.AddRange(targets); return this; }

    /// <summary>Skips the target, printing the reason, when the condition is false at the time it would run.</summary>
    public TargetDefinition OnlyWhen(Func<bool> condition, string reason) { Conditions.Add((condition, reason)); return this; }

    /// <summary>Joins every plan and runs even when an earlier target failed (the report must always be written).</summary>
    public TargetDefinition AlwaysRuns() { IsAlwaysRun = true; IsAssuredAfterFailure = true; return this; }

    /// <summary>Runs even when an earlier target failed, if it is in the plan.</summary>
    public TargetDefinition AssuredAfterFailure() { IsAssuredAfterFailure = true; return this; }

    /// <summary>Marks a stage whose real work is not built yet; the plan and the report say so.</summary>
    public TargetDefinition NotImplemented(string reason) { NotImplementedReason = reason; return this; }

    public TargetDefinition Executes(Action action) { Actions.Add(_ => { action(); return Task.CompletedTask; }); return this; }

    public TargetDefinition Executes(Func<Task> action) { Actions.Add(_ => action()); return this; }

    /// <summary>
    /// The token is cancelled when the run is (Ctrl-C, SIGTERM): pass it to every process and stage, so the target
    /// stops at once. A target that runs after the cancellation (Report) gets a token that is not cancelled.
    /// </summary>
    public TargetDefinition Executes(Func<CancellationToken, Task> action) { Actions.Add(action); return this; }
}
