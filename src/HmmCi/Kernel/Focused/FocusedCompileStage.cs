using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Kernel.Diagnostics;
using HmmCi.Kernel.Kconfig;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Kernel.Focused;

/// <summary>
/// The focused compile, after the Build stage's builds: for every tree whose test merge is clean or resolved and each
/// config of <c>kernel.focused.configs</c> (allmodconfig), the candidates (<see cref="Candidates"/>) the config reaches
/// (<see cref="KbuildReach"/>) compiled on the merged tree and, when that shows anything, on the baseline, so only new
/// errors and warnings count; each new error is blamed on a topic commit and a downstream commit
/// (<see cref="CulpritSearch"/>) and said in linux-next's words. One work tree and one O= folder per config serve
/// every tree: moving the checkout from tree to tree keeps what <c>make prepare</c> made when nothing it reads changed.
/// </summary>
public sealed class FocusedCompileStage(FocusedCompileStage.Settings settings, IProcessRunner runner, Action<string> info)
{
    /// <param name="Runtime">The runtime the Build stage prepared; null when it had none (the stage then says why not).</param>
    public sealed record Settings(HmmCiConfig Config, string GitDirectory, string Workspace, string Output, RunIdentity Run, BuildRuntime? Runtime)
    {
        public int Jobs { get; init; } = Environment.ProcessorCount;
    }

    readonly GitCli _git = new(settings.GitDirectory, runner);
    readonly WorkTrees _workTrees = WorkTreesFor(runner, settings.GitDirectory, settings.Workspace);
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

    public async Task RunAsync(MergeReadinessReport report, CancellationToken cancellation)
    {
        if (Focused.Configs.Count == 0) return;
        var watch = Stopwatch.StartNew();
        try
        {
            foreach (var tree in report.Trees)
            {
                if (tree.Merge.Status is not (MergeStatus.Clean or MergeStatus.Resolved) || tree.Head is null || tree.Merge.Commit is null) continue;
                foreach (var config in Focused.Configs)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var record = await TreeAsync(report, tree, config, watch, cancellation);
                    tree.Builds.Add(record);
                    RollUp(tree, record);
                }
            }
        }
        finally
        {
            await Containers.Installed(runner, settings.Run).RemoveRunAsync(settings.Run.Id);
        }
    }

    async Task<BuildRecord> TreeAsync(MergeReadinessReport report, TreeReport tree, string config, Stopwatch stage, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        BuildRecord Skipped(string reason) => new() { Kind = BuildKind.Focused, Config = config, Status = StageStatus.Skipped, Reason = reason, Commit = tree.Merge.Commit };
        if (settings.Runtime is not { } runtime) return Skipped("the Build stage has no runtime to compile with");
        if (report.Topic is not { Base: { } topicBase, Head: { } topicHead }) return Skipped("the report has no topic base and head");
        var commits = new FocusedCommits(topicBase, topicHead, tree.Head!, tree.Merge.Commit!);
        var label = $"{tree.Name} focused ({config})";
        var files = Path.Combine(settings.Output, "builds", tree.Name, $"focused-{config}");

        var selection = await Candidates.SelectAsync(_git, commits, Focused.MaxFiles, cancellation);
        if (selection.Files.Count == 0)
            return Skipped("nothing to compile: the topic changes no declaration and no .c file");
        info($"{label}: {selection.Files.Count} candidate(s){(selection.LeftOut.Count > 0 ? $", {selection.LeftOut.Count} over kernel.focused.maxFiles" : "")}");

        var mounts = MountsFor(settings.Workspace, config);
        var make = new FocusedMake(runner, runtime, mounts, config, settings.Jobs, Focused.Timeout);
        var timeout = settings.Config.TimeoutFor(settings.Config.Trees.FirstOrDefault(t => t.Name == tree.Name));
        string Name(string step) => $"hmmci-{settings.Run.Id}-focused-{tree.Name}-{step}".Replace('/', '_');

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
            return WithLog(Record(StageStatus.Fail, failed, []), Path.Combine(files, "prepare-merged.log"));

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
        if (objects.Count == 0) return Record(StageStatus.Skipped, $"{config} builds none of the {selection.Files.Count} candidate(s)", notCompiled);

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
                return WithLog(Record(StageStatus.Fail, $"baseline: {baselineFailed}", notCompiled), mergedLog);
            var present = objects.Where(o => File.Exists(Path.Combine(mounts.Source, Path.ChangeExtension(o, ".c")))).ToList();
            info($"{label}: compiling {present.Count} object(s) on the baseline");
            var baseline = present.Count == 0 ? null
                : await make.CompileAsync(Name("baseline"), present, Path.Combine(files, "compile-baseline.log"), timeout, cancellation);
            newErrors = WarningDelta.New(merged.Diagnostics.Errors, baseline?.Diagnostics.Errors ?? []);
            newWarnings = WarningDelta.New(merged.Diagnostics.Warnings, baseline?.Diagnostics.Warnings ?? []);
        }
        if (newErrors.Count > 0) FirstError ??= stage.Elapsed;

        var search = new CulpritSearch(_git, commits, tree.Name, async (commit, obj, token) =>
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
            LogTail = errors.Count > 0 ? LinuxNext.FailedLikeThis(report.Topic.Name, tree.Name, config, errors) : null,
            Candidates = [.. selection.Files], NotCompiled = [.. notCompiled, .. selection.LeftOut],
        };
        info($"{label}: {(status == StageStatus.Pass ? "pass" : record.Reason)} in {MakeProgress.Elapsed(watch.Elapsed)}");
        return record;
    }

    BuildRecord WithLog(BuildRecord record, string log) => new()
    {
        Kind = record.Kind, Config = record.Config, Runtime = record.Runtime, Image = record.Image, Commit = record.Commit, Status = record.Status,
        Reason = record.Reason, DurationMs = record.DurationMs, Candidates = record.Candidates, NotCompiled = record.NotCompiled,
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
