using System.Diagnostics;
using HmmCi.Config;
using HmmCi.Merging;
using HmmCi.Trees;

// Times, in one warm process, what the Merge stage does for each downstream tree against plain git merge-tree
// for the same (tree, topic) pairs, spawned the same way. Usage: MergeBench CONFIG WORKSPACE [RUNS]
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
var describer = new ConflictDescriber(objects, new PathHistory(git));
var resolutions = new RecordedResolutions(Path.Combine(config.Directory, "resolutions"), git);
var testMerge = new TestMerge(mergeTree, objects, describer, resolutions);
var window = new MergeWindowSimulation(mergeTree, objects, describer, resolutions);

var measures = new Dictionary<string, List<double>>
{
    ["git merge-tree --write-tree, each pair in turn"] = [],
    ["HmmCi test merges, side by side as the stage runs them"] = [],
    ["HmmCi test merges, each in turn"] = [],
    ["HmmCi merge-window simulation"] = [],
};
async Task Time(string what, Func<Task> action, bool record)
{
    var watch = Stopwatch.StartNew();
    await action();
    if (record) measures[what].Add(watch.Elapsed.TotalMilliseconds);
}

for (var run = 0; run <= runs; run++)
{
    var record = run > 0; // run 0 warms up the JIT, LibGit2Sharp and the OS page cache for both sides
    await Time("git merge-tree --write-tree, each pair in turn", async () =>
    {
        foreach (var (tree, _) in trees)
        {
            var result = await git.RunAsync(["merge-tree", "--write-tree", tree.Head, topic.Head]);
            if (result.ExitCode > 1) throw new InvalidOperationException(result.Error);
        }
    }, record);
    await Time("HmmCi test merges, side by side as the stage runs them", () => Task.WhenAll(trees.Select(t => testMerge.RunAsync(topic, t.Side, t.Branch))), record);
    await Time("HmmCi test merges, each in turn", async () =>
    {
        foreach (var (tree, branch) in trees) await testMerge.RunAsync(topic, tree, branch);
    }, record);
    await Time("HmmCi merge-window simulation", () => window.RunAsync(mainline, topic, trees.Select(t => t.Side).ToList()), record);
}

foreach (var (what, times) in measures)
    Console.WriteLine($"{Median(times),8:0.0} ms  {what} (median of {times.Count}, {trees.Count} trees)");
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
