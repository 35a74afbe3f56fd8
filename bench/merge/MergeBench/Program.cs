using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Merging;
using HmmCi.Trees;

// Times, in one warm process, what the Merge stage does for each downstream tree against plain git merge-tree
// for the same (tree, topic) pairs, spawned the same way, both each in turn and side by side. Usage: MergeBench CONFIG WORKSPACE [RUNS]
// The store must already hold the pinned heads (run ./build.sh Fetch or Merge first).
if (args.Length is < 2 or > 3) { Console.Error.WriteLine("usage: MergeBench CONFIG WORKSPACE [RUNS]"); return 2; }
var config = ConfigLoader.Load(args[0]);
var runs = args.Length == 3 ? int.Parse(args[2]) : 5;
var git = (await TreeStore.OpenAsync(args[1])).Git;

async Task<string> Head(string name) => (await git.ReadAsync("rev-parse", TreeStore.PinnedRef(name))).Trim();
var topic = new MergeSide(config.Topic.Name, await Head(config.Topic.Name));
var mainline = new MergeSide("mainline", await Head(config.Mainline.Name));
var trees = new List<(MergeSide Side, string Branch)>();
foreach (var tree in config.Trees) trees.Add((new MergeSide(tree.Name, await Head(tree.Name)), tree.Branch));

using var objects = new StoreObjects(git.GitDirectory);
var mergeTree = new MergeTree(git);
var describer = new ConflictDescriber(objects, new PathHistory(git, objects));
var resolutions = new RecordedResolutions(Path.Combine(config.Directory, "resolutions"), git);
var testMerge = new TestMerge(mergeTree, objects, describer, resolutions);
var window = new MergeWindowSimulation(mergeTree, objects, describer, resolutions);

// Like with like: git merge-tree is timed both ways HmmCi is, each pair in turn and all pairs side by side, with the
// exact command the stage runs (MergeTree.RunAsync: -z --messages, conflict style pinned).
const string GitSerial = "git merge-tree --write-tree, each pair in turn";
const string GitParallel = "git merge-tree --write-tree, all pairs side by side";
const string HmmCiSerial = "HmmCi test merges, each in turn";
const string HmmCiParallel = "HmmCi test merges, side by side as the stage runs them";
const string Window = "HmmCi merge-window simulation";
var measures = new Dictionary<string, List<double>> { [GitSerial] = [], [GitParallel] = [], [HmmCiSerial] = [], [HmmCiParallel] = [], [Window] = [] };
async Task Time(string what, Func<Task> action, bool record)
{
    var watch = Stopwatch.StartNew();
    await action();
    if (record) measures[what].Add(watch.Elapsed.TotalMilliseconds);
}
async Task GitMerge(MergeSide tree)
{
    if ((await mergeTree.RunAsync(tree.Head, topic.Head)).Output is null) throw new InvalidOperationException($"git merge-tree failed for {tree.Name}");
}

for (var run = 0; run <= runs; run++)
{
    var record = run > 0; // run 0 warms up the JIT, LibGit2Sharp and the OS page cache for both sides
    await Time(GitSerial, async () => { foreach (var (tree, _) in trees) await GitMerge(tree); }, record);
    await Time(GitParallel, () => Task.WhenAll(trees.Select(t => GitMerge(t.Side))), record);
    await Time(HmmCiSerial, async () => { foreach (var (tree, branch) in trees) await testMerge.RunAsync(topic, tree, branch); }, record);
    await Time(HmmCiParallel, () => Task.WhenAll(trees.Select(t => testMerge.RunAsync(topic, t.Side, t.Branch))), record);
    await Time(Window, () => window.RunAsync(mainline, topic, trees.Select(t => t.Side).ToList()), record);
}

foreach (var (what, times) in measures)
    Console.WriteLine($"{Median(times),8:0.0} ms  {what} (median of {times.Count}, {trees.Count} trees)");
// Ratios of medians, like with like; bench/merge/run.sh prints the side-by-side one last.
Console.WriteLine($"{Median(measures[HmmCiSerial]) / Median(measures[GitSerial]),8:0.00}     ratio, each in turn: HmmCi test merges / git merge-tree");
Console.WriteLine($"{Median(measures[HmmCiParallel]) / Median(measures[GitParallel]),8:0.00}     ratio, side by side: HmmCi test merges / git merge-tree");
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
