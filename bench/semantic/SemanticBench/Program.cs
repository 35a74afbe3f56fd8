using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Kernel;
using HmmCi.Kernel.Focused;
using HmmCi.Kernel.Kconfig;
using HmmCi.Kernel.Runtimes;
using HmmCi.Merging;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Trees;

// Runs the focused compile (FocusedCompileStage, on the host toolchain, as kernel.runtime: host) over the report
// ./build.sh Merge wrote, then measures, in the same prepared O= folder and with ccache off on both sides:
//   - per tree, HmmCi's compile of the candidates' objects against one raw `make -k -j<cores>` of the same objects;
//   - for the first new error, the whole culprit search against one single-object compile.
// Usage: SemanticBench CONFIG WORKSPACE OUTPUT [ROUNDS]
if (args.Length is < 3 or > 4) { Console.Error.WriteLine("usage: SemanticBench CONFIG WORKSPACE OUTPUT [ROUNDS]"); return 2; }
var config = ConfigLoader.Load(args[0]);
var (workspace, output) = (Path.GetFullPath(args[1]), Path.GetFullPath(args[2]));
var rounds = args.Length == 4 ? int.Parse(args[3]) : 3;
var report = ReportJson.Deserialize(File.ReadAllText(Path.Combine(output, "report.json")));
var gitDirectory = Path.Combine(workspace, "store.git");
var git = new GitCli(gitDirectory);
var runner = ProcessRunner.Default;
var runtime = new HostRuntime(runner);
var jobs = Environment.ProcessorCount;
var focusedConfig = config.Kernel.Focused;
var target = focusedConfig.Configs[0];
void Say(string line) => Console.Error.WriteLine($"bench: {line}");

var stageWatch = Stopwatch.StartNew();
var stage = new FocusedCompileStage(new FocusedCompileStage.Settings(config, gitDirectory, workspace, output, RunIdentity.New(), runtime) { Jobs = jobs, ResultCache = false }, runner, Say);
await stage.RunAsync(report, CancellationToken.None);
var stageTime = stageWatch.Elapsed;

var mounts = FocusedCompileStage.MountsFor(workspace, target);
var workTrees = FocusedCompileStage.WorkTreesFor(runner, gitDirectory, workspace);
var make = new FocusedMake(runtime, mounts, target, jobs, focusedConfig.Timeout);
var logs = Path.Combine(output, "bench-semantic");

async Task<TimeSpan> Raw(IReadOnlyList<string> objects)
{
    var script = $"rm -f {Shell.Join(objects.Select(o => $"{mounts.Output}/{o}"))}\n{Shell.Join(make.Make)} -k -j{jobs} {Shell.Join(objects)} >{Shell.Quote(Path.Combine(logs, "raw.log"))} 2>&1 || true\n";
    var watch = Stopwatch.StartNew();
    await runner.RunAsync(new ProcessSpec("sh", ["-euc", script]) { WorkingDirectory = mounts.Output });
    return watch.Elapsed;
}
async Task<TimeSpan> Hmmci(IReadOnlyList<string> objects)
{
    var watch = Stopwatch.StartNew();
    await make.CompileAsync("bench", objects, Path.Combine(logs, "hmmci.log"), TimeSpan.FromHours(1), CancellationToken.None);
    return watch.Elapsed;
}
static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

var lines = new List<string> { $"Semantic-conflict benchmark ({target}, -j{jobs}, ccache off, median of {rounds})" };
var ratios = new List<string>();
(BuildDiagnostic Error, string Object, TreeReport Tree, BuildRecord Record)? firstError = null;
foreach (var tree in report.Trees)
{
    var record = tree.Builds.FirstOrDefault(b => b.Kind == BuildKind.Focused);
    if (record is null) { lines.Add($"{tree.Name}: no focused compile ({tree.Merge.Status})"); continue; }
    lines.Add($"{tree.Name}: focused {WireNames.Of(record.Status)}{(record.Reason is { } r ? $": {r}" : "")}");
    foreach (var c in record.Candidates) lines.Add($"    candidate {c.File}: {c.Reason}");
    foreach (var n in record.NotCompiled) lines.Add($"    {n.File}: {n.Reason}");
    foreach (var e in record.Errors)
    {
        lines.Add($"    error {e.File}:{e.Line}: {e.Message}{(e.Flag is { } f ? $" [{f}]" : "")}");
        if (e.Culprit is { } culprit) lines.Add($"      {culprit.Text}");
    }
    if (record.LogTail is { } tail) lines.AddRange(tail.Split('\n').Select(l => "    | " + l));
    var notCompiled = record.NotCompiled.Select(n => n.File).ToHashSet();
    var objects = record.Candidates.Where(c => !notCompiled.Contains(c.File)).Select(c => Path.ChangeExtension(c.File, ".o")).ToList();
    if (objects.Count == 0 || record.Status == StageStatus.Skipped) continue;
    if (firstError is null && record.Errors.FirstOrDefault() is { } error)
        firstError = (error, Path.ChangeExtension(error.File, ".o"), tree, record);

    await workTrees.CheckoutAsync(FocusedCompileStage.Unit, tree.Merge.Commit!, CancellationToken.None);
    await Hmmci(objects); // warm-up: the page cache and make's first look at the moved checkout
    var (hmmci, raw) = (new List<double>(), new List<double>());
    for (var round = 0; round < rounds; round++)
    {
        hmmci.Add((await Hmmci(objects)).TotalMilliseconds);
        raw.Add((await Raw(objects)).TotalMilliseconds);
    }
    lines.Add($"  {Median(hmmci),9:0} ms  HmmCi's focused compile of {objects.Count} object(s) on the merged tree");
    lines.Add($"  {Median(raw),9:0} ms  one raw make -k -j{jobs} of the same objects, same prepared O=");
    ratios.Add($"ratio, {tree.Name}: {Median(hmmci) / Median(raw):0.00} (HmmCi's focused compile / raw make of the same objects; target <= 1.10)");

    // What a full allmodconfig build compiles, by the same reading of .config and the Makefiles.
    var dotConfig = Path.Combine(mounts.Output, ".config");
    var reach = new KbuildReach(mounts.Source, DotConfig.Values(File.ReadAllText(dotConfig), dotConfig));
    var all = (await git.ReadAsync("ls-tree", "-r", "--name-only", tree.Merge.Commit!)).Split('\n').Where(f => f.EndsWith(".c", StringComparison.Ordinal)).ToList();
    lines.Add($"  {all.Count(f => reach.Of(f).Compiled),9} objects a full {target} build of {tree.Name} compiles (.c files Kbuild reaches), {objects.Count} in the focused compile");
}

if (firstError is { } first)
{
    var topic = report.Topic;
    var commits = new FocusedCommits(topic.Base!, topic.Head!, first.Tree.Head!, first.Tree.Merge.Commit!);
    var n = int.Parse((await git.ReadAsync("rev-list", "--count", $"{topic.Base}..{topic.Head}")).Trim());
    var single = new List<double>();
    using var store = new StoreObjects(gitDirectory);
    var merges = new MergeRecipe(git, store, RecordedResolutions.Of(config, git));
    var search = new CulpritSearch(git, merges, topic.Name, commits, first.Tree.Name, [new TreeHead(first.Tree.Name, first.Tree.Head!)], async (commit, obj, token) =>
    {
        await workTrees.CheckoutAsync(FocusedCompileStage.Unit, commit, token);
        return (await make.CompileAsync("bench-bisect", [obj], Path.Combine(logs, "bisect.log"), TimeSpan.FromHours(1), token)).Diagnostics;
    });
    var watch = Stopwatch.StartNew();
    var culprit = await search.FindAsync(first.Error, first.Object, CancellationToken.None);
    var searchMs = watch.Elapsed.TotalMilliseconds;
    await workTrees.CheckoutAsync(FocusedCompileStage.Unit, first.Tree.Merge.Commit!, CancellationToken.None);
    for (var round = 0; round < rounds; round++) single.Add((await Raw([first.Object])).TotalMilliseconds);
    var worth = searchMs / Median(single);
    lines.Add($"culprit search for {first.Error.File}:{first.Error.Line} ({first.Tree.Name}, topic of {n} commits): {search.Compiles} single-object compile(s), {searchMs:0} ms");
    lines.Add($"  {culprit.Text}");
    lines.Add($"  {Median(single),9:0} ms  one raw single-object compile of {first.Object}");
    lines.Add($"stage wall time {stageTime.TotalSeconds:0.0} s; from its start to the first semantic error: {(stage.FirstError is { } t ? $"{t.TotalSeconds:0.0} s" : "none found")}");
    ratios.Add($"ratio, culprit search: {worth:0.00} single-object compiles' worth (target <= log2({n})+2 = {Math.Log2(n) + 2:0.00})");
}
else lines.Add($"stage wall time {stageTime.TotalSeconds:0.0} s; no semantic error found");

foreach (var line in lines) Console.WriteLine(line);
foreach (var ratio in ratios.Skip(1).Append(ratios.FirstOrDefault()).OfType<string>()) Console.WriteLine(ratio);
return 0;
