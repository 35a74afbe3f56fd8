using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Kernel.Diagnostics;
using HmmCi.Kernel.Kconfig;
using HmmCi.Kernel.Runtimes;
using HmmCi.Merging;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Kernel.Focused;

/// <summary>
/// The focused compile, after the Build stage's builds: for every tree whose test merge is clean or resolved and each
/// config of <c>kernel.focused.configs</c> (allmodconfig), the candidates (<see cref="Candidates"/>) the config reaches
/// (<see cref="KbuildReach"/>) compiled on the merged tree and, when that shows anything, on the baseline, so only new
/// errors and warnings count; each new error is blamed on a topic commit and a downstream commit
/// (<see cref="CulpritSearch"/>) and said in linux-next's words. The merge window is compiled the same way, against
/// itself without the topic. One work tree and one O= folder per config serve every tree: moving the checkout from
/// tree to tree keeps what <c>make prepare</c> made when nothing it reads changed. Results go into the result cache
/// keyed on their inputs (<see cref="FocusedInputs"/>), so a rerun where nothing moved compiles nothing.
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
        var targets = report.Trees
            .Where(t => t.Merge.Status is MergeStatus.Clean or MergeStatus.Resolved && t.Head is not null && t.Merge.Commit is not null)
            .Select(t => new Target(t.Name, t.Name, $"the {t.Name} build", Commits(report, t.Head!, t.Merge.Commit!), [new TreeHead(t.Name, t.Head!)], t.Builds,
                record => RollUp(t, record)))
            .ToList();
        if (report.MergeWindow.Commit is { } window)
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
        var watch = Stopwatch.StartNew();
        var commits = target.Commits;
        if (settings.Runtime is not { } runtime) return Skipped(config, "the Build stage has no runtime to compile with", commits.Merged);
        if (commits.TopicBase.Length == 0 || commits.TopicHead.Length == 0) return Skipped(config, "the report has no topic base and head", commits.Merged);
        var label = $"{target.Where} focused ({config})";
        var files = Path.Combine(settings.Output, "builds", target.Folder, $"focused-{config}");

        // Where the folders are does not change the result: the key uses the fixed container paths on every runtime.
        var key = new FocusedInputs(target.Folder, (await _git.ReadAsync("rev-parse", "--verify", $"{commits.Merged}^{{tree}}")).Trim(), commits.TreeHead,
            commits.TopicBase, commits.TopicHead, target.Trees, config, runtime.CacheIdentity, FocusedMake.Command(DockerRuntime.Mounts, Focused.Timeout),
            Focused.MaxFiles, Focused.BlameWarnings).Key();
        if (settings.ResultCache && _cache.Find(key) is { } hit)
        {
            _cache.Restore(key, files);
            info($"{label}: {(hit.Status == StageStatus.Pass ? "pass" : hit.Reason)} (cached)");
            return Reused(hit, commits.Merged);
        }
        var record = await CompileAsync(report, target, config, runtime, merges, label, files, watch, stage, cancellation);
        if (settings.ResultCache && record.Interrupted is null) _cache.Store(key, record.Record, files);
        return record.Record;
    }

    async Task<(BuildRecord Record, string? Interrupted)> CompileAsync(MergeReadinessReport report, Target target, string config, BuildRuntime runtime,
        MergeRecipe merges, string label, string files, Stopwatch watch, Stopwatch stage, CancellationToken cancellation)
    {
        var commits = target.Commits;
        // The cache stores the folder whole: no earlier run's logs in it.
        if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
        Directory.CreateDirectory(files);
        var selection = await Candidates.SelectAsync(_git, commits, Focused.MaxFiles, cancellation);
        if (selection.Files.Count == 0) return (Skipped(config, "nothing to compile: the topic changes no declaration and no .c file", commits.Merged), null);
        info($"{label}: {selection.Files.Count} candidate(s){(selection.LeftOut.Count > 0 ? $", {selection.LeftOut.Count} over kernel.focused.maxFiles" : "")}");

        var mounts = MountsFor(settings.Workspace, config);
        var make = new FocusedMake(runtime, mounts, config, settings.Jobs, Focused.Timeout);
        var timeout = settings.Config.TimeoutFor(settings.Config.Trees.FirstOrDefault(t => t.Name == target.Folder));
        string Name(string step) => $"hmmci-{settings.Run.Id}-focused-{target.Folder.TrimStart('_')}-{step}".Replace('/', '_');

        async Task<string?> PrepareAsync(string commit, string side)
        {
            info($"{label}: {side} {commit[..12]}: make {config} prepare");
            await _workTrees.CheckoutAsync(Unit, commit, cancellation);
            var (ok, reason, _) = await make.PrepareAsync(Name($"prepare-{side}"), Path.Combine(files, $"prepare-{side}.log"), timeout, cancellation);
            return ok ? null : reason;
        }

        BuildRecord Record(StageStatus status, string? reason, List<FocusedFile> notCompiled) => new()
        {
            Kind = BuildKind.Focused, Config = config, Runtime = runtime.Name, Image = runtime.ImageId, Commit = commits.Merged, Status = status,
            Reason = reason, DurationMs = (long)watch.Elapsed.TotalMilliseconds, Candidates = [.. selection.Files],
            NotCompiled = [.. notCompiled, .. selection.LeftOut],
        };

        if (await PrepareAsync(commits.Merged, "merged") is { } failed)
            return (WithLog(Record(StageStatus.Fail, failed, []), Path.Combine(files, "prepare-merged.log")), make.Interrupted);

        var dotConfig = Path.Combine(mounts.Output, ".config");
        var reach = new KbuildReach(mounts.Source, DotConfig.Values(File.ReadAllText(dotConfig), dotConfig));
        var notCompiled = new List<FocusedFile>();
        var objects = new List<string>();
        foreach (var file in selection.Files)
        {
            var of = reach.Of(file.File);
            if (of.Compiled) objects.Add(of.Object);
            else notCompiled.Add(new FocusedFile(file.File, $"not compiled: {of.NotCompiled}"));
        }
        if (objects.Count == 0) return (Record(StageStatus.Skipped, $"{config} builds none of the {selection.Files.Count} candidate(s)", notCompiled), make.Interrupted);

        info($"{label}: compiling {objects.Count} object(s) on the merged tree");
        var mergedLog = Path.Combine(files, "compile-merged.log");
        var merged = await make.CompileAsync(Name("merged"), objects, mergedLog, timeout, cancellation);
        foreach (var (obj, why) in merged.NotBuilt)
            notCompiled.Add(new FocusedFile(Path.ChangeExtension(obj, ".c"), $"not compiled: {why}"));
        IReadOnlyList<BuildDiagnostic> newErrors = merged.Diagnostics.Errors, newWarnings = merged.Diagnostics.Warnings;
        if (newErrors.Count > 0 || newWarnings.Count > 0)
        {
            // Only what the baseline does not have counts: compile the same files there, those it has.
            if (await PrepareAsync(commits.TreeHead, "baseline") is { } baselineFailed)
                return (WithLog(Record(StageStatus.Fail, $"baseline: {baselineFailed}", notCompiled), mergedLog), make.Interrupted);
            var present = objects.Where(o => File.Exists(Path.Combine(mounts.Source, Path.ChangeExtension(o, ".c")))).ToList();
            info($"{label}: compiling {present.Count} object(s) on the baseline");
            var baseline = present.Count == 0 ? null
                : await make.CompileAsync(Name("baseline"), present, Path.Combine(files, "compile-baseline.log"), timeout, cancellation);
            newErrors = WarningDelta.New(merged.Diagnostics.Errors, baseline?.Diagnostics.Errors ?? []);
            newWarnings = WarningDelta.New(merged.Diagnostics.Warnings, baseline?.Diagnostics.Warnings ?? []);
        }
        if (newErrors.Count > 0) FirstError ??= stage.Elapsed;

        var search = new CulpritSearch(_git, merges, report.Topic.Name, commits, target.Where, target.Trees, async (commit, obj, token) =>
        {
            await _workTrees.CheckoutAsync(Unit, commit, token);
            var step = await make.CompileAsync(Name($"bisect-{commit[..12]}"), [obj], Path.Combine(files, $"bisect-{commit[..12]}.log"), timeout, token);
            return step.Diagnostics;
        });
        async Task<List<BuildDiagnostic>> Blamed(IReadOnlyList<BuildDiagnostic> diagnostics)
        {
            var blamed = new List<BuildDiagnostic>();
            foreach (var d in diagnostics)
            {
                var obj = ObjectOf(d, objects);
                if (obj is null) { blamed.Add(d); continue; }
                info($"{label}: looking for the culprit of {d.File}:{d.Line}");
                blamed.Add(d with { Culprit = await search.FindAsync(d, obj, cancellation) });
            }
            return blamed;
        }
        var errors = await Blamed(newErrors);
        var warnings = Focused.BlameWarnings ? await Blamed(newWarnings) : [.. newWarnings];
        BisectCompiles += search.Compiles;

        var status = errors.Count > 0 ? StageStatus.Fail : StageStatus.Pass;
        var first = errors.FirstOrDefault();
        var record = new BuildRecord
        {
            Kind = BuildKind.Focused, Config = config, Runtime = runtime.Name, Image = runtime.ImageId, Commit = commits.Merged, Status = status,
            Reason = first is null ? null : $"{errors.Count} new error(s) under {config}: {first.File}:{first.Line}: {first.Message}",
            DurationMs = (long)watch.Elapsed.TotalMilliseconds, Errors = errors, Warnings = merged.Diagnostics.Warnings.Count, NewWarnings = warnings,
            Log = Path.GetRelativePath(settings.Output, mergedLog), Reproducer = merged.Reproducer,
            LogTail = errors.Count > 0 ? LinuxNext.FailedLikeThis(report.Topic.Name, target.Build, config, errors) : null,
            Candidates = [.. selection.Files], NotCompiled = [.. notCompiled, .. selection.LeftOut],
        };
        info($"{label}: {(status == StageStatus.Pass ? "pass" : record.Reason)} in {MakeProgress.Elapsed(watch.Elapsed)}");
        return (record, make.Interrupted);
    }

    static BuildRecord Skipped(string config, string reason, string commit) =>
        new() { Kind = BuildKind.Focused, Config = config, Status = StageStatus.Skipped, Reason = reason, Commit = commit };

    /// <summary>A cached result as this run's record: the same result and files, for this run's merge commit.</summary>
    static BuildRecord Reused(BuildRecord hit, string commit) => hit with { Commit = commit, Cached = true };

    BuildRecord WithLog(BuildRecord record, string log) => record with
    {
        Log = Path.GetRelativePath(settings.Output, log), LogTail = File.Exists(log) ? CompilerDiagnostics.Tail(File.ReadAllText(log)) : null,
    };

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
