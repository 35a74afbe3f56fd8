using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Kernel.Diagnostics;
using HmmCi.Kernel.Runtimes;
using HmmCi.Merging;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Kernel.Focused;

/// <summary>
/// The focused compile, after the Build stage's builds: for every tree the Build stage builds (<see cref="BuildPlan"/>) and each
/// config of <c>kernel.focused.configs</c> (allmodconfig), the candidates (<see cref="Candidates"/>) the config reaches
/// (<see cref="KbuildReach"/>) compiled on the merged tree and, when that shows anything, on the baseline, so only new
/// errors and warnings count; each new error is blamed on a topic commit and a downstream commit
/// (<see cref="CulpritSearch"/>) and said in linux-next's words. The merge window is compiled the same way, against
/// itself without the topic. One work tree and one O= folder per config serve every tree: moving the checkout from
/// tree to tree keeps what <c>make prepare</c> made when nothing it reads changed. What the makes produced goes into
/// the result cache keyed on their inputs (<see cref="FocusedInputs"/>), so a rerun where nothing moved compiles
/// nothing, and is read again on every hit as a compile that runs now is.
/// </summary>
public sealed class FocusedCompileStage(FocusedCompileStage.Settings settings, IProcessRunner runner, Action<string> info)
{
    /// <param name="Runtime">The runtime the Build stage prepared; null when it had none (the stage then says why not).</param>
    public sealed record Settings(HmmCiConfig Config, string GitDirectory, string Workspace, string Output, RunIdentity Run, BuildRuntime? Runtime)
    {
        public int Jobs { get; init; } = Environment.ProcessorCount;
        /// <summary>Off for the bench, which measures the compile itself.</summary>
        public bool ResultCache { get; init; } = true;
    }

    readonly GitCli _git = new(settings.GitDirectory, runner);
    readonly WorkTrees _workTrees = WorkTreesFor(runner, settings.GitDirectory, settings.Workspace);
    // The Build stage's result cache: the focused keys are their own (FocusedInputs), the folder is shared.
    readonly BuildCache _cache = new(Path.Combine(settings.Workspace, "kernel", "cache"));
    public const string Unit = "all";

    /// <summary>The one checkout every tree's focused compile moves (the bench moves it too).</summary>
    public static WorkTrees WorkTreesFor(IProcessRunner runner, string gitDirectory, string workspace) =>
        new(runner, gitDirectory, Path.Combine(workspace, "kernel", "focused", "src"));

    /// <summary>The checkout, the config's prepared O= folder and the ccache the Build stage's builds share.</summary>
    public static BuildMounts MountsFor(string workspace, string config) => new(Path.Combine(workspace, "kernel", "focused", "src", Unit),
        Path.Combine(workspace, "kernel", "focused", "build", config), Path.Combine(workspace, "kernel", "ccache"));

    FocusedConfig Focused => settings.Config.Kernel.Focused;

    /// <summary>Wall time from the start of the stage to the first new error, for the bench.</summary>
    public TimeSpan? FirstError { get; private set; }

    /// <summary>Single-object compiles the culprit searches ran, for the bench.</summary>
    public int BisectCompiles { get; private set; }

    /// <summary>
    /// What one focused compile is of: a test merge, or the merge window. <paramref name="Folder"/> names its files and
    /// containers, <paramref name="Where"/> it in messages, <paramref name="Build"/> its build in linux-next's words
    /// ("the rdma build"); <paramref name="Trees"/> are whom a downstream commit is attributed to; each record goes
    /// into <paramref name="Builds"/> and through <paramref name="RollUp"/>.
    /// </summary>
    sealed record Target(string Folder, string Where, string Build, FocusedCommits Commits, IReadOnlyList<TreeHead> Trees, List<BuildRecord> Builds,
        Action<BuildRecord> RollUp);

    /// <summary>The merge window's folder under builds/, as the Build stage names it.</summary>
    public const string MergeWindowFolder = "_merge-window";

    public async Task RunAsync(MergeReadinessReport report, CancellationToken cancellation)
    {
        if (Focused.Configs.Count == 0) return;
        var watch = Stopwatch.StartNew();
        using var objects = new StoreObjects(settings.GitDirectory);
        var merges = new MergeRecipe(_git, objects, RecordedResolutions.Of(settings.Config, _git));
        var plan = BuildPlan.Of(report);
        var targets = new List<Target>();
        foreach (var planned in plan.Trees)
        {
            var tree = report.Trees.First(t => t.Name == planned.Name);
            targets.Add(new Target(planned.Name, planned.Name, $"the {planned.Name} build", Commits(report, planned.Head, planned.Merge),
                [new TreeHead(planned.Name, planned.Head)], tree.Builds, record => RollUp(tree, record)));
        }
        if (plan.MergeWindow is { } window)
        {
            var (target, skipped) = await MergeWindowAsync(report, window, merges, cancellation);
            if (target is not null) targets.Add(target);
            else report.MergeWindow.Builds.AddRange(Focused.Configs.Select(config => Skipped(config, skipped!, window)));
        }
        // Each make removes its own container when it does not end by itself (FocusedMake); the run's go at the end of the run.
        foreach (var target in targets)
            foreach (var config in Focused.Configs)
            {
                cancellation.ThrowIfCancellationRequested();
                var record = await TargetAsync(report, target, config, merges, watch, cancellation);
                target.Builds.Add(record);
                target.RollUp(record);
            }
    }

    /// <summary>The topic's range (empty when the report has none: the compile is then skipped with that reason) and a merge of it.</summary>
    static FocusedCommits Commits(MergeReadinessReport report, string baseline, string merged) =>
        new(report.Topic.Base ?? "", report.Topic.Head ?? "", baseline, merged);

    /// <summary>
    /// The merge window as a target: its baseline is the merge window without the topic (mainline's head and the same
    /// trees that made it in, merged in the same order), so only what the topic brings counts; null with the reason
    /// when there is none.
    /// </summary>
    async Task<(Target?, string?)> MergeWindowAsync(MergeReadinessReport report, string window, MergeRecipe merges, CancellationToken cancellation)
    {
        var steps = report.MergeWindow.Steps;
        // Steps: mainline, the topic, then each tree (MergeWindowSimulation).
        if (steps.Count < 2 || steps[1].Status is not (MergeStatus.Clean or MergeStatus.Resolved))
            return (null, $"the {report.Topic.Name} tree is not in the merge window{(steps.ElementAtOrDefault(1)?.Note is { } note ? $" ({note})" : "")}");
        var mainline = new TreeHead(steps[0].Tree, steps[0].Head);
        var included = steps.Skip(2).Where(s => s.Status is MergeStatus.Clean or MergeStatus.Resolved).Select(s => new TreeHead(s.Tree, s.Head)).ToList();
        var baseline = mainline.Head;
        foreach (var tree in included)
        {
            // As the merge window pulls it: the tree into what is in so far, labelled like the topic there.
            var pulled = await merges.MergeAsync(new MergeRequest(new MergeSide(tree.Name, tree.Head), new MergeSide(report.Topic.Name, baseline),
                $"hmmci: merge window without {report.Topic.Name}: merge {tree.Name}") { IntoTheirs = true }, cancellation);
            if (pulled.Commit is not { } merged)
                return (null, $"without the {report.Topic.Name} tree, merging the {tree.Name} tree into the merge window conflicts, so there is no baseline to compare with");
            baseline = merged;
        }
        // The merge window has no roll-up: Readiness judges its builds.
        return (new Target(MergeWindowFolder, "merge window", "the merge window build", Commits(report, baseline, window), [mainline, .. included],
            report.MergeWindow.Builds, _ => { }), null);
    }

    async Task<BuildRecord> TargetAsync(MergeReadinessReport report, Target target, string config, MergeRecipe merges, Stopwatch stage, CancellationToken cancellation)
    {
        var commits = target.Commits;
        if (settings.Runtime is not { } runtime) return Skipped(config, "the Build stage has no runtime to compile with", commits.Merged);
        if (commits.TopicBase.Length == 0 || commits.TopicHead.Length == 0) return Skipped(config, "the report has no topic base and head", commits.Merged);
        var label = $"{target.Where} focused ({config})";
        var files = Path.Combine(settings.Output, "builds", target.Folder, $"focused-{config}");
        var mounts = MountsFor(settings.Workspace, config);
        var make = new FocusedMake(runtime, mounts, config, settings.Jobs, Focused.Timeout);

        // Where the folders are does not change the result: the key renders the recipe for the fixed container paths on every runtime.
        var key = new FocusedInputs(target.Folder, (await _git.ReadAsync("rev-parse", "--verify", $"{commits.Merged}^{{tree}}")).Trim(), commits.TreeHead,
            commits.TopicBase, commits.TopicHead, target.Trees, config, runtime.CacheIdentity, FocusedMake.Recipe(DockerRuntime.Mounts, config, Focused.Timeout),
            Focused.MaxFiles, Focused.BlameWarnings).Key();
        if (settings.ResultCache && _cache.Find<FocusedProduct>(key) is { } hit)
        {
            _cache.Restore(key, files);
            try
            {
                var (reused, objectTimedOut) = await JudgeAsync(report, target, config, merges, make, files, new Recorded(hit), stage, cached: true, cancellation);
                if (!objectTimedOut)
                {
                    info($"{label}: {(reused.Status == StageStatus.Pass ? "pass" : reused.Reason)} (cached)");
                    return reused;
                }
                info($"{label}: today's reading of the cached result finds a compile that timed out: compiling again");
            }
            catch (NotStoredException e)
            {
                info($"{label}: today's reading of the cached result asks for {e.Message}, which it does not hold: compiling again");
            }
            _cache.Remove(key);
        }

        // The cache stores the folder whole: no earlier run's logs in it.
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        Directory.CreateDirectory(files);
        var timeout = settings.Config.TimeoutFor(settings.Config.Trees.FirstOrDefault(t => t.Name == target.Folder));
        var running = new Running(runtime, make, _workTrees, mounts, files, timeout,
            step => $"hmmci-{settings.Run.Id}-focused-{target.Folder.TrimStart('_')}-{step}".Replace('/', '_'), line => info($"{label}: {line}"), cancellation);
        var (record, timedOut) = await JudgeAsync(report, target, config, merges, make, files, running, stage, cached: false, cancellation);
        info($"{label}: {(record.Status == StageStatus.Pass ? "pass" : record.Reason)} in {MakeProgress.Elapsed(TimeSpan.FromMilliseconds(record.DurationMs))}");
        if (settings.ResultCache && make.Interrupted is null && !timedOut) _cache.Store(key, running.Product, files);
        return record;
    }

    /// <summary>
    /// The focused compile's record as today's reading of its makes says, the one reading of a compile that runs now
    /// and of a cache hit: the candidates, what the merged tree's config reaches, the merged tree's compile, the
    /// baseline's when that shows anything, the culprit searches' compiles. Also whether an object's compile timed out
    /// (the result is then not the inputs' alone).
    /// </summary>
    async Task<(BuildRecord Record, bool ObjectTimedOut)> JudgeAsync(MergeReadinessReport report, Target target, string config, MergeRecipe merges, FocusedMake make,
        string files, Makes makes, Stopwatch stage, bool cached, CancellationToken cancellation)
    {
        var commits = target.Commits;
        var say = cached ? (Action<string>)(_ => { }) : line => info($"{target.Where} focused ({config}): {line}");
        var selection = await Candidates.SelectAsync(_git, commits, Focused.MaxFiles, cancellation);
        if (selection.Files.Count == 0) return (Skipped(config, "nothing to compile: the topic changes no declaration and no .c file", commits.Merged) with { Cached = cached }, false);
        say($"{selection.Files.Count} candidate(s){(selection.LeftOut.Count > 0 ? $", {selection.LeftOut.Count} over kernel.focused.maxFiles" : "")}");
        var timedOut = false;
        string Log(FocusedStep step) => File.Exists(Path.Combine(files, step.Log)) ? File.ReadAllText(Path.Combine(files, step.Log)) : "";
        CompileReading Read(FocusedStep step)
        {
            var reading = make.ReadCompile(Log(step));
            timedOut |= reading.ObjectTimedOut;
            return reading;
        }
        string? Unprepared(FocusedStep step) => make.PrepareFailure(Log(step), step.ExitCode, step.TimedOutAfter);

        BuildRecord Record(StageStatus status, string? reason, List<FocusedFile> notCompiled) => new()
        {
            Kind = BuildKind.Focused, Config = config, Runtime = makes.Runtime, Image = makes.Image, Commit = commits.Merged, Status = status,
            Reason = reason, DurationMs = makes.DurationMs, Candidates = [.. selection.Files], NotCompiled = [.. notCompiled, .. selection.LeftOut], Cached = cached,
        };
        BuildRecord WithLog(BuildRecord record, FocusedStep step) => record with
        {
            Log = Path.GetRelativePath(settings.Output, Path.Combine(files, step.Log)), LogTail = CompilerDiagnostics.Tail(Log(step)),
        };

        var prepared = await makes.PrepareAsync("merged", commits.Merged);
        if (Unprepared(prepared) is { } failed) return (WithLog(Record(StageStatus.Fail, failed, []), prepared), timedOut);

        var notCompiled = new List<FocusedFile>();
        var objects = new List<string>();
        foreach (var file in selection.Files)
        {
            var of = makes.Reach(file.File);
            if (of.Compiled) objects.Add(of.Object);
            else notCompiled.Add(new FocusedFile(file.File, $"not compiled: {of.NotCompiled}"));
        }
        if (objects.Count == 0) return (Record(StageStatus.Skipped, $"{config} builds none of the {selection.Files.Count} candidate(s)", notCompiled), timedOut);

        say($"compiling {objects.Count} object(s) on the merged tree");
        var mergedStep = await makes.CompileAsync("compile-merged", commits.Merged, objects);
        var merged = Read(mergedStep);
        foreach (var (obj, why) in merged.NotBuilt)
            notCompiled.Add(new FocusedFile(Path.ChangeExtension(obj, ".c"), $"not compiled: {why}"));
        IReadOnlyList<BuildDiagnostic> newErrors = merged.Diagnostics.Errors, newWarnings = merged.Diagnostics.Warnings;
        if (newErrors.Count > 0 || newWarnings.Count > 0)
        {
            // Only what the baseline does not have counts: compile the same files there, those it has.
            var baselinePrepared = await makes.PrepareAsync("baseline", commits.TreeHead);
            if (Unprepared(baselinePrepared) is { } baselineFailed)
                return (WithLog(Record(StageStatus.Fail, $"baseline: {baselineFailed}", notCompiled), mergedStep), timedOut);
            var present = await PresentAsync(commits.TreeHead, objects);
            say($"compiling {present.Count} object(s) on the baseline");
            var baseline = present.Count == 0 ? null : Read(await makes.CompileAsync("compile-baseline", commits.TreeHead, present));
            newErrors = WarningDelta.New(merged.Diagnostics.Errors, baseline?.Diagnostics.Errors ?? []);
            newWarnings = WarningDelta.New(merged.Diagnostics.Warnings, baseline?.Diagnostics.Warnings ?? []);
        }
        if (newErrors.Count > 0) FirstError ??= stage.Elapsed;

        var search = new CulpritSearch(_git, merges, report.Topic.Name, commits, target.Where, target.Trees, async (commit, obj, token) =>
            Read(await makes.CompileAsync(BuildScript.SafeName().Replace($"bisect-{commit[..12]}-{obj}", "_"), commit, [obj])).Diagnostics);
        async Task<List<BuildDiagnostic>> Blamed(IReadOnlyList<BuildDiagnostic> diagnostics)
        {
            var blamed = new List<BuildDiagnostic>();
            foreach (var d in diagnostics)
            {
                var obj = ObjectOf(d, objects);
                if (obj is null) { blamed.Add(d); continue; }
                say($"looking for the culprit of {d.File}:{d.Line}");
                blamed.Add(d with { Culprit = await search.FindAsync(d, obj, cancellation) });
            }
            return blamed;
        }
        var errors = await Blamed(newErrors);
        var warnings = Focused.BlameWarnings ? await Blamed(newWarnings) : [.. newWarnings];
        if (!cached) BisectCompiles += search.Compiles;

        var status = errors.Count > 0 ? StageStatus.Fail : StageStatus.Pass;
        var first = errors.FirstOrDefault();
        return (WithLog(Record(status, first is null ? null : $"{errors.Count} new error(s) under {config}: {first.File}:{first.Line}: {first.Message}", notCompiled), mergedStep) with
        {
            Errors = errors, Warnings = merged.Diagnostics.Warnings.Count, NewWarnings = warnings, Reproducer = mergedStep.Reproducer,
            LogTail = errors.Count > 0 ? LinuxNext.FailedLikeThis(report.Topic.Name, target.Build, config, errors) : null,
        }, timedOut);
    }

    /// <summary>The objects whose .c file <paramref name="commit"/> has.</summary>
    async Task<List<string>> PresentAsync(string commit, IReadOnlyList<string> objects)
    {
        var sources = objects.Select(o => Path.ChangeExtension(o, ".c")).ToList();
        var listed = (await _git.ReadAsync(["ls-tree", "--name-only", commit, "--", .. sources])).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return objects.Where(o => listed.Contains(Path.ChangeExtension(o, ".c"))).ToList();
    }

    static BuildRecord Skipped(string config, string reason, string commit) =>
        new() { Kind = BuildKind.Focused, Config = config, Status = StageStatus.Skipped, Reason = reason, Commit = commit };

    /// <summary>The candidate object a diagnostic belongs to: its own file's, or the candidate whose compile reached the header it is in.</summary>
    static string? ObjectOf(BuildDiagnostic diagnostic, IReadOnlyList<string> objects)
    {
        var own = Path.ChangeExtension(diagnostic.File, ".o");
        if (objects.Contains(own)) return own;
        return diagnostic.Context.Select(c => objects.FirstOrDefault(o => c.Contains(Path.ChangeExtension(o, ".c"), StringComparison.Ordinal))).FirstOrDefault(o => o is not null);
    }

    /// <summary>The tree's roll-up: the focused compile's new errors fail it and are listed with the merged builds'.</summary>
    static void RollUp(TreeReport tree, BuildRecord focused)
    {
        var before = tree.Build;
        var failed = focused.Status == StageStatus.Fail;
        tree.Build = new BuildReport
        {
            Status = failed ? StageStatus.Fail : before.Status,
            Reason = failed ? string.Join("; ", new[] { before.Reason, $"focused ({focused.Config}): {focused.Reason}" }.OfType<string>()) : before.Reason,
            Errors = [.. before.Errors, .. focused.Errors],
            NewWarnings = [.. before.NewWarnings, .. focused.NewWarnings],
        };
    }
}
