using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Kernel.Diagnostics;
using HmmCi.Kernel.Kconfig;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Kernel;

/// <summary>
/// The Build stage. For every downstream tree whose test merge is clean or resolved: its baseline (the tree's head)
/// and this run's merge commit; once per run the topic on its base (baseline: mainline at that base) and the
/// merge-window tree (baseline: the mainline head). Every build reuses the one before it: builds run one at a time
/// (with -j of the cores, so the machine is never oversubscribed) in one work tree that git moves from commit to
/// commit, rewriting only the files that differ, and one O= folder per config, so make recompiles only what the
/// move changed (the trees of one topic differ in a handful of files); a ccache catches the rest. Results come from
/// the content-addressed cache when the inputs match, without touching the work tree.
/// </summary>
public sealed class KernelBuildStage(KernelBuildStage.Settings settings, IProcessRunner runner, Action<string> info)
{
    /// <param name="GitDirectory">The store holding every tree's commits.</param>
    /// <param name="Workspace">Where work trees, O= folders, the ccache and the result cache live.</param>
    /// <param name="Output">The output folder: logs and artifacts, which the report names relative to it.</param>
    public sealed record Settings(HmmCiConfig Config, string GitDirectory, string Workspace, string Output, RunIdentity Run)
    {
        /// <summary>Picks the runtime; tests hand in one of their own (docker through podman's socket, say).</summary>
        public Func<IProcessRunner, BuildRuntime?>? Runtime { get; init; }
        public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(5);
        public int Jobs { get; init; } = Environment.ProcessorCount;
    }

    /// <summary>Builds of different trees (and of parallel runs in one process) take turns: each gets every core.</summary>
    static readonly SemaphoreSlim Machine = new(1, 1);

    /// <summary>Lines of a failed build's log kept in the report.</summary>
    const int TailLines = 40;

    readonly BuildCache _cache = new(Path.Combine(settings.Workspace, "kernel", "cache"));
    readonly KconfigTreeCache _kconfig = new();
    readonly WorkTrees _workTrees = new(runner, settings.GitDirectory, Path.Combine(settings.Workspace, "kernel", "src"));
    readonly GitCli _git = new(settings.GitDirectory, runner);

    /// <summary>The work tree every build moves.</summary>
    const string Checkout = "linux";

    /// <summary>
    /// One checkout and its builds: the baseline first, then what is tested against it. <paramref name="Downstream"/> names
    /// the tree whose build roll-up the builds make; the topic and the merge window have none.
    /// </summary>
    sealed record Unit(string Folder, string Label, string? Downstream, TreeConfig? Tree, string BaselineCommit, BuildKind Kind, string Commit, List<BuildRecord> Builds);

    /// <summary>The runtime the builds ran in, for the focused compile and the bisect builds (<see cref="BuildCommitAsync"/>) after them; null when none could start.</summary>
    public BuildRuntime? Runtime { get; private set; }

    public async Task RunAsync(MergeReadinessReport report, CancellationToken cancellation)
    {
        var units = Plan(report);
        if (units.Count == 0) return;
        var orphans = await Containers.Installed(runner, settings.Run).RemoveOrphansAsync();
        if (orphans > 0) info($"removed {orphans} container(s) left by earlier runs whose process is gone");
        BuildRuntime runtime;
        try
        {
            Runtime = runtime = await PrepareRuntimeAsync(cancellation);
        }
        catch (RuntimeUnavailableException e)
        {
            info($"build: {e.Message}");
            foreach (var unit in units) Fail(report, unit, e.Message);
            return;
        }
        info($"build: {runtime.Name}{(runtime.ImageId is { } id ? $", image {BuildImage.Tag} ({Short(id)})" : "")}, -j{settings.Jobs}");
        // Each build removes its own container when it does not end by itself; the run's go at the end of the run.
        foreach (var unit in units) await BuildUnitAsync(report, unit, runtime, cancellation);
    }

    List<Unit> Plan(MergeReadinessReport report)
    {
        var plan = BuildPlan.Of(report);
        foreach (var skipped in plan.Skipped)
            report.Trees.First(t => t.Name == skipped.Name).Build = new BuildReport { Status = StageStatus.Skipped, Reason = skipped.Reason };
        var units = plan.Trees.Select(tree => new Unit(tree.Name, tree.Name, tree.Name, settings.Config.Trees.FirstOrDefault(t => t.Name == tree.Name),
            tree.Head, BuildKind.Merged, tree.Merge, report.Trees.First(t => t.Name == tree.Name).Builds)).ToList();
        if (plan.Topic is { } topic)
            units.Add(new Unit(topic.Name, $"topic {topic.Name}", null, null, topic.Base, BuildKind.Topic, topic.Head, report.Topic.Builds));
        if (plan is { MergeWindow: { } window, Mainline: { } mainline })
            units.Add(new Unit("_merge-window", "merge window", null, null, mainline, BuildKind.MergeWindow, window, report.MergeWindow.Builds));
        return units;
    }

    Task<BuildRuntime> PrepareRuntimeAsync(CancellationToken cancellation)
    {
        var candidates = settings.Runtime?.Invoke(runner) is { } given ? [given] : RuntimeSelector.Candidates(settings.Config.Kernel.Runtime, runner, settings.Run);
        return RuntimeSelector.SelectAsync(candidates, Path.Combine(settings.Output, "builds", "image.log"), info, cancellation);
    }

    void Fail(MergeReadinessReport report, Unit unit, string reason)
    {
        foreach (var config in ConfigsOf(unit))
            foreach (var kind in new[] { BuildKind.Baseline, unit.Kind })
                unit.Builds.Add(new BuildRecord { Kind = kind, Config = config.Name, Status = StageStatus.Error, Reason = reason });
        if (TreeOf(report, unit) is { } tree)
            tree.Build = new BuildReport { Status = StageStatus.Error, Reason = reason };
    }

    static TreeReport? TreeOf(MergeReadinessReport report, Unit unit) => report.Trees.FirstOrDefault(t => t.Name == unit.Downstream);

    IReadOnlyList<KernelBuildConfig> ConfigsOf(Unit unit) => settings.Config.ConfigsFor(unit.Tree);

    async Task BuildUnitAsync(MergeReadinessReport report, Unit unit, BuildRuntime runtime, CancellationToken cancellation)
    {
        var tree = TreeOf(report, unit);
        var failedMerged = new List<string>();
        var unverified = new List<string>();
        var errors = new List<BuildDiagnostic>();
        var newWarnings = new List<BuildDiagnostic>();
        foreach (var config in ConfigsOf(unit))
        {
            var baseline = await BuildOrFailAsync(unit, config, BuildKind.Baseline, unit.BaselineCommit, runtime, cancellation);
            var subject = await BuildOrFailAsync(unit, config, unit.Kind, unit.Commit, runtime, cancellation);
            var added = WarningDelta.New(subject.Warnings, baseline.Warnings).ToList();
            var newErrors = WarningDelta.New(subject.Record.Errors, baseline.Record.Errors);
            unit.Builds.Add(baseline.Record);
            unit.Builds.Add(subject.Record with { NewWarnings = added });
            newWarnings.AddRange(added);
            errors.AddRange(newErrors);
            if (subject.Record.Status == StageStatus.Error) unverified.Add($"{config.Name}: {subject.Record.Reason}");
            else if (subject.Record.Status != StageStatus.Pass)
                failedMerged.Add($"{config.Name}: {subject.Record.Reason}{(baseline.Record.Status == StageStatus.Pass ? " (the baseline builds)" : $"; the baseline fails too: {baseline.Record.Reason}")}");
        }
        if (tree is null) return;
        tree.Build = new BuildReport
        {
            // A build the machine failed leaves the tree unverified unless another one failed for the tree's own reasons.
            Status = failedMerged.Count > 0 ? StageStatus.Fail : unverified.Count > 0 ? StageStatus.Error : StageStatus.Pass,
            Reason = failedMerged.Count > 0 ? $"the merged tree does not build: {string.Join("; ", failedMerged)}"
                : unverified.Count > 0 ? $"the merged tree was not verified: {string.Join("; ", unverified)}" : null,
            Errors = errors,
            NewWarnings = newWarnings,
        };
    }

    /// <summary>A build's record, all of its warnings (for the delta against its baseline), and whether the inputs alone decided it.</summary>
    sealed record Outcome(BuildRecord Record, IReadOnlyList<BuildDiagnostic> Warnings, bool Deterministic = false);

    /// <summary>A build that HmmCi itself could not carry out (no disk left for the inputs, a checkout that failed) is that build's error: not judged.</summary>
    async Task<Outcome> BuildOrFailAsync(Unit unit, KernelBuildConfig config, BuildKind kind, string commit, BuildRuntime runtime,
        CancellationToken cancellation, string? folder = null)
    {
        try
        {
            return await BuildOneAsync(unit, config, kind, commit, runtime, cancellation, folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            var reason = e.Message.Contains("No space left on device", StringComparison.Ordinal) ? $"disk full: {e.Message}" : e.Message;
            info($"{unit.Label} {WireNames.Of(kind)} ({config.Name}) {Short(commit)}: fail: {reason}");
            return new Outcome(new BuildRecord
            {
                Kind = kind, Config = config.Name, Runtime = runtime.Name, Image = runtime.ImageId, Commit = commit,
                Status = StageStatus.Error, Reason = reason,
            }, []);
        }
    }

    async Task<Outcome> BuildOneAsync(Unit unit, KernelBuildConfig config, BuildKind kind, string commit, BuildRuntime runtime,
        CancellationToken cancellation, string? folder)
    {
        var label = $"{unit.Label} {folder ?? WireNames.Of(kind)} ({config.Name}) {Short(commit)}";
        var relative = Path.Combine("builds", unit.Folder, config.Name, folder ?? WireNames.Of(kind));
        var files = Path.Combine(settings.Output, relative);
        var watch = Stopwatch.StartNew();
        var sourceTree = await SourceTreeAsync(commit, cancellation);
        var mounts = new BuildMounts(_workTrees.PathOf(Checkout), Path.Combine(settings.Workspace, "kernel", "build", config.Name),
            Path.Combine(settings.Workspace, "kernel", "ccache"));
        var inside = runtime.Inside(mounts);
        var (hmmTests, harness) = config.Boot ? await SelftestInputsAsync(sourceTree, cancellation) : (null, null);
        var key = new BuildInputs(sourceTree, config, runtime.CacheIdentity, hmmTests, harness).Key();
        Outcome Judged(BuildProduct product, BuildExit exit, bool cached) => Judge(product, exit, files, config, kind, commit, sourceTree, inside, cached);

        if (_cache.Find<BuildProduct>(key) is { } hit)
        {
            _cache.Restore(key, files);
            var reused = Judged(hit, new BuildExit(hit.ExitCode), cached: true);
            if (reused.Deterministic)
            {
                info($"{label}: {Summary(reused.Record)} (cached)");
                return reused;
            }
            // Today's judge reads the machine's failure in it: not the inputs' result, so built again.
            info($"{label}: the cached result is not the inputs' alone ({reused.Record.Reason}): building again");
            _cache.Remove(key);
        }

        await Machine.WaitAsync(cancellation);
        try
        {
            var made = !_workTrees.Exists(Checkout);
            var moving = Stopwatch.StartNew();
            var source = await _workTrees.CheckoutAsync(Checkout, commit, cancellation);
            // A new work tree writes the whole kernel (80,000 files): said, so a slow first build is not taken for make's.
            info($"{label}: {(made ? "work tree made" : "work tree moved")} in {moving.Elapsed.TotalSeconds:0.0}s");
            // Read while make runs: it needs only the checkout, and is mostly the last build's tree again.
            var kconfigTree = config.Fragments.Count > 0 ? Task.Run(() => LoadKconfig(source), CancellationToken.None) : Task.FromResult<(KconfigTree?, string?)>((null, null));
            WriteInputs(config, mounts.Output);
            Directory.CreateDirectory(mounts.Ccache);
            var selftests = config.Boot
                ? SelftestSources.Copy(source, Path.Combine(mounts.Output, BuildScript.Folder, "selftests"), settings.Config.Selftests.HarnessFixes)
                : null;
            if (Directory.Exists(files)) Directory.Delete(files, recursive: true);
            Directory.CreateDirectory(files);
            var log = Path.Combine(files, "build.log");
            var invocation = new BuildInvocation(ContainerName(unit, config, folder ?? WireNames.Of(kind)), mounts,
                BuildScript.Render(config, inside, settings.Jobs, selftests?.Source))
            {
                Timeout = settings.Config.TimeoutFor(unit.Tree),
                LogFile = log,
            };
            ProcessResult result;
            await using (var progress = new MakeProgress(label, settings.ProgressInterval, info))
            {
                info($"{label}: building");
                try
                {
                    result = await runtime.RunAsync(invocation with { OnLine = progress.Offer }, cancellation);
                }
                catch (ProcessStartException e)
                {
                    result = new ProcessResult(-1, "", e.Message, watch.Elapsed);
                    File.AppendAllText(log, e.Message + "\n");
                }
            }

            var text = File.Exists(log) ? File.ReadAllText(log) : "";
            var dotConfig = Path.Combine(mounts.Output, ".config");
            // Kconfig drops what it cannot satisfy without a word: every option a fragment asked for is checked.
            var (kconfigLoaded, kconfigUnread) = await kconfigTree;
            var kconfig = kconfigLoaded is not null && File.Exists(dotConfig) && ReachedBuild(text)
                ? KconfigVerification.Verify(kconfigLoaded, File.ReadAllText(dotConfig), config.Fragments.Select(f => new ConfigFragment(f.File, f.Content) { FirstLine = f.FirstLine }).ToList())
                : [];
            // A script that stopped hands over nothing: what O= holds may be an earlier build's.
            if (result.Success && config.Boot) CollectArtifacts(mounts.Output, files);
            var product = new BuildProduct
            {
                ExitCode = result.ExitCode,
                DurationMs = (long)watch.Elapsed.TotalMilliseconds,
                Runtime = runtime.Name,
                Image = runtime.ImageId,
                Reproducer = runtime.Reproducer(invocation),
                Kconfig = [.. kconfig],
                KconfigUnread = kconfigUnread,
                HmmTests = selftests?.Source,
                HarnessFixes = [.. selftests?.HarnessFixes ?? []],
            };
            var fresh = Judged(product, new BuildExit(result.ExitCode, result.TimedOut ? invocation.Timeout ?? result.Duration : null), cached: false);
            if (fresh.Deterministic) _cache.Store(key, product, files);
            info($"{label}: {Summary(fresh.Record)}");
            return fresh;
        }
        finally
        {
            Machine.Release();
        }
    }

    /// <summary>
    /// One more build of a commit of a downstream tree after <see cref="RunAsync"/> (a bisect step of the Selftests
    /// stage): the same runtime, work tree, O= folder, ccache and result cache, with the tree's first bootable config;
    /// its files go to builds/&lt;tree&gt;/&lt;config&gt;/&lt;folder&gt;.
    /// </summary>
    public async Task<BuildRecord> BuildCommitAsync(string tree, string commit, string folder, CancellationToken cancellation)
    {
        var treeConfig = settings.Config.Trees.FirstOrDefault(t => t.Name == tree);
        var config = settings.Config.ConfigsFor(treeConfig).FirstOrDefault(c => c.Boot);
        if (Runtime is not { } runtime || config is null)
            return new BuildRecord
            {
                Kind = BuildKind.Merged, Config = config?.Name ?? "-", Commit = commit, Status = StageStatus.Skipped,
                Reason = config is null ? $"{tree} has no bootable config" : "the Build stage did not prepare a runtime",
            };
        // Bisect steps of other trees may be building beside this one: nothing here removes any container but its own.
        var unit = new Unit(tree, tree, null, treeConfig, commit, BuildKind.Merged, commit, []);
        return (await BuildOrFailAsync(unit, config, BuildKind.Merged, commit, runtime, cancellation, folder)).Record;
    }

    (KconfigTree? Tree, string? Error) LoadKconfig(string source)
    {
        try
        {
            lock (_kconfig) return (_kconfig.Load(source), null);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            return (null, e.Message);
        }
    }

    async Task<string> SourceTreeAsync(string commit, CancellationToken cancellation)
    {
        var result = await _git.RunAsync(["rev-parse", "--verify", $"{commit}^{{tree}}"], cancellation: cancellation);
        return result.Success ? result.Output.Trim() : throw new InvalidOperationException($"git rev-parse {commit}^{{tree}}: {result.Error.Trim()}");
    }

    /// <summary>
    /// What the selftest copy will hold, read from the tree's objects without a checkout: hmm-tests.c's place in the
    /// copy and the harness with the fixes applied; nulls when the tree has no hmm-tests.
    /// </summary>
    async Task<(string? HmmTests, string? Harness)> SelftestInputsAsync(string sourceTree, CancellationToken cancellation)
    {
        var listed = await _git.RunAsync(["ls-tree", "--name-only", sourceTree, "--", .. SelftestSources.Sources], cancellation: cancellation);
        if (!listed.Success) throw new InvalidOperationException($"git ls-tree {sourceTree}: {listed.Error.Trim()}");
        var present = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (SelftestSources.Sources.FirstOrDefault(present.Contains) is not { } source) return (null, null);
        var harness = await _git.RunAsync(["cat-file", "blob", $"{sourceTree}:{SelftestSources.Harness}"], cancellation: cancellation);
        return (SelftestSources.InCopy(source), harness.Success ? SelftestSources.Fixed(harness.Output, settings.Config.Selftests.HarnessFixes).Text : null);
    }

    /// <summary>The fragments and a base file, written into O= where the script reads them.</summary>
    static void WriteInputs(KernelBuildConfig config, string output)
    {
        var folder = Path.Combine(output, BuildScript.Folder);
        var fragments = Path.Combine(folder, "fragments");
        if (Directory.Exists(fragments)) Directory.Delete(fragments, recursive: true);
        Directory.CreateDirectory(fragments);
        if (config.BaseFile is { } baseFile) File.Copy(baseFile, Path.Combine(folder, "base.config"), overwrite: true);
        foreach (var (file, content) in BuildScript.Fragments(config)) File.WriteAllText(Path.Combine(output, file), content);
    }

    /// <summary>The build's files, copied out of O= under the names <see cref="Judge"/> hands over.</summary>
    static void CollectArtifacts(string output, string files)
    {
        foreach (var (from, name) in Artifacts)
        {
            var source = Path.Combine(output, from);
            var target = Path.Combine(files, name);
            if (File.Exists(source)) File.Copy(source, target, overwrite: true);
            else if (Directory.Exists(source)) BuildCache.CopyFolder(source, target);
        }
    }

    static readonly (string From, string Name)[] Artifacts =
        [("arch/x86/boot/bzImage", "bzImage"), ($"{BuildScript.Folder}/headers", "headers"), ($"{BuildScript.Folder}/hmm-tests", "hmm-tests")];

    /// <summary>
    /// A build's record as today's judge reads what it produced (<paramref name="files"/>: its log and artifacts): the
    /// one reading of a build that just ran and of a cache hit, which gets this kind, commit and folder.
    /// </summary>
    Outcome Judge(BuildProduct product, BuildExit exit, string files, KernelBuildConfig config, BuildKind kind, string commit, string sourceTree,
        BuildMounts inside, bool cached)
    {
        var log = Path.Combine(files, "build.log");
        var text = File.Exists(log) ? File.ReadAllText(log) : "";
        var verdict = BuildJudge.Judge(text, exit, product.Kconfig, inside.Source, inside.Output);
        var pass = verdict.Status == StageStatus.Pass;
        var reason = verdict.Reason;
        if (pass)
        {
            string?[] notes =
            [
                // Kconfig accepted the files (olddefconfig ran): what HmmCi cannot read is its own limit, not the tree's failure.
                product.KconfigUnread is null ? null : $"the fragments' options were not verified: {product.KconfigUnread}",
                config.Boot && product.HmmTests is null ? "hmm-tests not present (no tools/testing/selftests/mm/hmm-tests.c or vm/hmm-tests.c in the tree)" : null,
            ];
            reason = notes.Any(n => n is not null) ? string.Join("; ", notes.OfType<string>()) : null;
        }
        // A failed build hands over nothing.
        string? Artifact(string name) => pass && Path.Exists(Path.Combine(files, name)) ? Relative(Path.Combine(files, name)) : null;
        var record = new BuildRecord
        {
            Kind = kind,
            Config = config.Name,
            Runtime = product.Runtime,
            Image = product.Image,
            Commit = commit,
            SourceTree = sourceTree,
            Status = verdict.Status,
            Reason = reason,
            DurationMs = product.DurationMs,
            Errors = [.. verdict.Errors],
            Warnings = verdict.Warnings.Count,
            Log = Relative(log),
            LogTail = pass ? null : CompilerDiagnostics.Tail(text, TailLines),
            Reproducer = product.Reproducer,
            Cached = cached,
            Artifacts = new BuildArtifacts
            {
                Kernel = Artifact("bzImage"),
                Headers = Artifact("headers"),
                Selftests = new SelftestArtifacts { HmmTests = Artifact("hmm-tests"), HarnessFixes = pass ? [.. product.HarnessFixes] : [] },
            },
        };
        return new Outcome(record, verdict.Warnings, verdict.Deterministic);
    }

    static bool ReachedBuild(string log) => log.Contains(BuildScript.Marker + "make\n", StringComparison.Ordinal);

    string Relative(string path) => Path.GetRelativePath(settings.Output, path);

    /// <summary>Numbers the stage's builds, so that no two containers of the run share a name.</summary>
    int _builds;

    /// <summary>The build's own container, the only one it ever removes.</summary>
    string ContainerName(Unit unit, KernelBuildConfig config, string folder) =>
        BuildScript.SafeName().Replace($"hmmci-{settings.Run.Id}-{Interlocked.Increment(ref _builds)}-{unit.Folder.TrimStart('_')}-{folder}-{config.Name}", "_");

    static string Summary(BuildRecord record) => record.Status == StageStatus.Pass
        ? $"pass in {MakeProgress.Elapsed(TimeSpan.FromMilliseconds(record.DurationMs))}, {record.Warnings} warning(s){(record.Artifacts.Selftests.HmmTests is null ? "" : ", hmm-tests built")}"
        : $"{WireNames.Of(record.Status)}: {record.Reason}";

    static string Short(string sha) => sha.StartsWith("sha256:") ? sha[7..19] : sha[..Math.Min(12, sha.Length)];
}
