using System.Diagnostics;
using HmmCi.Kernel.Kconfig;
using HmmCi.Kernel.Runtimes;

namespace HmmCi.Kernel.Focused;

/// <summary>
/// One make of a focused compile as it ran: what the result cache stores of it, next to its log. <paramref name="Name"/>
/// says which (prepare-merged, compile-merged, prepare-baseline, compile-baseline, bisect-&lt;commit&gt;-&lt;object&gt;)
/// and names its log file, <paramref name="Log"/>, in the compile's folder.
/// </summary>
public sealed record FocusedStep(string Name, string Commit, IReadOnlyList<string> Objects, int ExitCode, string Log, string Reproducer)
{
    /// <summary>Killed at its timeout: never stored, read only by the run that saw it.</summary>
    public TimeSpan? TimedOutAfter { get; init; }
}

/// <summary>
/// What a focused compile produced, as the result cache stores it: every make it ran, and what the merged tree's
/// config reaches of each candidate (read from its .config and Makefiles in the checkout). Never what the logs were
/// taken to say: a hit is read again, as a compile that runs now is.
/// </summary>
public sealed record FocusedProduct
{
    public string? Runtime { get; init; }
    public string? Image { get; init; }
    public long DurationMs { get; init; }
    public Dictionary<string, Reach> Reach { get; init; } = [];
    public List<FocusedStep> Steps { get; init; } = [];
}

/// <summary>A reading of a cached focused compile asked for a make the cache does not hold: the compile runs again.</summary>
sealed class NotStoredException(string what) : Exception(what);

/// <summary>The makes a focused compile reads: run now (and kept for the result cache), or a hit's, replayed.</summary>
abstract class Makes
{
    public abstract string? Runtime { get; }
    public abstract string? Image { get; }
    public abstract long DurationMs { get; }

    /// <summary>The checkout at <paramref name="commit"/>, <c>make &lt;config&gt; prepare modules_prepare</c> in it.</summary>
    public abstract Task<FocusedStep> PrepareAsync(string side, string commit);

    /// <summary>Whether the config last prepared builds <paramref name="file"/>.</summary>
    public abstract Reach Reach(string file);

    /// <summary>The objects compiled on <paramref name="commit"/>.</summary>
    public abstract Task<FocusedStep> CompileAsync(string name, string commit, IReadOnlyList<string> objects);
}

/// <summary>The makes run now in the one checkout and the config's O= folder, each kept for <see cref="Product"/>.</summary>
sealed class Running(BuildRuntime runtime, FocusedMake make, WorkTrees workTrees, BuildMounts mounts, string files, TimeSpan timeout,
    Func<string, string> container, Action<string> info, CancellationToken cancellation) : Makes
{
    readonly Stopwatch _watch = Stopwatch.StartNew();
    readonly List<FocusedStep> _steps = [];
    readonly Dictionary<string, Reach> _reach = [];
    KbuildReach? _kbuild;
    string? _checkout;

    public override string? Runtime => runtime.Name;
    public override string? Image => runtime.ImageId;
    public override long DurationMs => (long)_watch.Elapsed.TotalMilliseconds;

    public FocusedProduct Product => new() { Runtime = Runtime, Image = Image, DurationMs = DurationMs, Reach = _reach, Steps = _steps };

    public override async Task<FocusedStep> PrepareAsync(string side, string commit)
    {
        var name = $"prepare-{side}";
        info($"{side} {commit[..12]}: make {make.Config} prepare");
        await CheckoutAsync(commit);
        _kbuild = null;
        return Keep(name, commit, [], await make.PrepareAsync(container(name), Path.Combine(files, $"{name}.log"), timeout, cancellation));
    }

    public override Reach Reach(string file)
    {
        var dotConfig = Path.Combine(mounts.Output, ".config");
        _kbuild ??= new KbuildReach(mounts.Source, DotConfig.Values(File.ReadAllText(dotConfig), dotConfig));
        return _reach[file] = _kbuild.Of(file);
    }

    public override async Task<FocusedStep> CompileAsync(string name, string commit, IReadOnlyList<string> objects)
    {
        await CheckoutAsync(commit);
        return Keep(name, commit, objects, await make.RunCompileAsync(container(name), objects, Path.Combine(files, $"{name}.log"), timeout, cancellation));
    }

    async Task CheckoutAsync(string commit)
    {
        if (_checkout == commit) return;
        await workTrees.CheckoutAsync(FocusedCompileStage.Unit, commit, cancellation);
        _checkout = commit;
    }

    FocusedStep Keep(string name, string commit, IReadOnlyList<string> objects, MakeRun run)
    {
        var step = new FocusedStep(name, commit, [.. objects], run.Process.ExitCode, $"{name}.log", run.Reproducer)
        {
            TimedOutAfter = run.Process.TimedOut ? timeout : null,
        };
        _steps.Add(step);
        return step;
    }
}

/// <summary>A hit's makes, as the compile that stored them ran them; what the merged side's commit is does not matter (the key has its tree).</summary>
sealed class Recorded(FocusedProduct product) : Makes
{
    public override string? Runtime => product.Runtime;
    public override string? Image => product.Image;
    public override long DurationMs => product.DurationMs;

    public override Task<FocusedStep> PrepareAsync(string side, string commit) => Task.FromResult(Find($"prepare-{side}", []));

    public override Reach Reach(string file) =>
        product.Reach.TryGetValue(file, out var reach) ? reach : throw new NotStoredException($"whether the config builds {file}");

    public override Task<FocusedStep> CompileAsync(string name, string commit, IReadOnlyList<string> objects) => Task.FromResult(Find(name, objects));

    FocusedStep Find(string name, IReadOnlyList<string> objects) =>
        product.Steps.FirstOrDefault(s => s.Name == name && s.Objects.SequenceEqual(objects))
        ?? throw new NotStoredException($"{name} of {(objects.Count == 0 ? "the config" : string.Join(" ", objects))}");
}
