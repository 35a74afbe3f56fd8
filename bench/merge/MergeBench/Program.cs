using System.Diagnostics;
using HmmCi;
using HmmCi.Config;
using HmmCi.Merging;
using HmmCi.Reports;
using HmmCi.Trees;

// Times, in one warm process, the Merge stage (MergeStage, as ./build.sh Merge runs it: every test merge and the
// merge-window simulation, with conflict descriptions, merge commits and refs) against plain git doing the same
// merges from one shell loop: `git merge-tree --write-tree` + `git commit-tree` for each test merge and for each
// merge-window step. Interleaved rounds, median. Usage: MergeBench CONFIG WORKSPACE [RUNS]
// The store must already hold the pinned heads (run ./build.sh Fetch first).
if (args.Length is < 2 or > 3) { Console.Error.WriteLine("usage: MergeBench CONFIG WORKSPACE [RUNS]"); return 2; }
var config = ConfigLoader.Load(args[0]);
var runs = args.Length == 3 ? int.Parse(args[2]) : 5;
var git = (await TreeStore.OpenAsync(args[1])).Git;

async Task<string> Head(string name) => (await git.ReadAsync("rev-parse", TreeStore.PinnedRef(name))).Trim();
var topicHead = await Head(config.Topic.Name);
var mainlineHead = await Head(config.Mainline.Name);
var heads = new Dictionary<string, string>();
foreach (var tree in config.Trees) heads[tree.Name] = await Head(tree.Name);

// What Fetch leaves in the report for the Merge stage.
MergeReadinessReport Fetched()
{
    var report = new MergeReadinessReport
    {
        Topic = new TopicReport { Name = config.Topic.Name, Url = config.Topic.Url, Branch = config.Topic.Branch, Head = topicHead },
        Mainline = new MainlineReport { Url = config.Mainline.Url, Branch = config.Mainline.Branch, Head = mainlineHead },
    };
    foreach (var tree in config.Trees)
        report.Trees.Add(new TreeReport { Name = tree.Name, Url = tree.Url, Branch = tree.Branch, Head = heads[tree.Name] });
    return report;
}

// As ./build.sh Merge runs it: the store opened for the run, so nothing read in-process is cached from an earlier round.
var resolutions = RecordedResolutions.Of(config, git);
async Task<MergeReadinessReport> RunStage()
{
    using var objects = new StoreObjects(git.GitDirectory);
    var report = Fetched();
    await new MergeStage(git, objects, resolutions, args[1], new QuietLog()).RunAsync(report);
    return report;
}

// Plain git: each test merge, then the merge window step by step onto what merged so far (a conflicting step is
// left out, as the stage does). It prints each clean result's tree so the two can be checked against each other.
const string Loop = """
    topic=$1 mainline=$2; shift 2
    for tree in "$@"; do
        if t=$(git merge-tree --write-tree "$tree" "$topic"); then git commit-tree -p "$tree" -p "$topic" -m "test merge" "$t" >/dev/null; echo "$tree $t"; fi
    done
    state=$mainline
    for pull in "$topic" "$@"; do
        if t=$(git merge-tree --write-tree "$pull" "$state"); then state=$(git commit-tree -p "$state" -p "$pull" -m "merge-window step" "$t"); last=$t; fi
    done
    echo "window $last"
    """;
async Task<string> PlainGit()
{
    var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in new[] { "-c", Loop, "loop", topicHead, mainlineHead }.Concat(config.Trees.Select(t => heads[t.Name]))) start.ArgumentList.Add(a);
    start.Environment["GIT_DIR"] = git.GitDirectory;
    start.Environment["LC_ALL"] = "C";
    foreach (var who in new[] { "AUTHOR", "COMMITTER" })
        (start.Environment[$"GIT_{who}_NAME"], start.Environment[$"GIT_{who}_EMAIL"]) = ("Bench", "bench@localhost");
    using var process = Process.Start(start)!;
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    return process.ExitCode == 0 ? output : throw new InvalidOperationException($"the plain git loop failed with exit code {process.ExitCode}");
}

const string Stage = "Merge stage (MergeStage: test merges side by side + merge-window simulation)";
const string Git = "plain git, one shell loop: merge-tree --write-tree + commit-tree per test merge and per merge-window step";
// Elapsed time, and CPU time (this process's and its finished children's, git included), which other load on a
// shared machine changes much less: the stage runs its merges side by side and so takes more of a busy machine.
var (wall, cpu) = (new Dictionary<string, List<double>> { [Stage] = [], [Git] = [] }, new Dictionary<string, List<double>> { [Stage] = [], [Git] = [] });
MergeReadinessReport? last = null;
string? gitOutput = null;
for (var run = 0; run <= runs; run++)
{
    var record = run > 0; // run 0 warms up the JIT, LibGit2Sharp and the OS page cache for both sides
    async Task Time(string what, Func<Task> action)
    {
        var (watch, before) = (Stopwatch.StartNew(), CpuMs());
        await action();
        if (!record) return;
        wall[what].Add(watch.Elapsed.TotalMilliseconds);
        cpu[what].Add(CpuMs() - before);
    }
    await Time(Stage, async () => last = await RunStage());
    await Time(Git, async () => gitOutput = await PlainGit());
}

// Both sides must have done the same merges: the same clean test-merge trees and the same merge-window tree.
var plain = gitOutput!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(f => f[0], f => f[1]);
foreach (var tree in last!.Trees)
    if (plain.GetValueOrDefault(tree.Head!) != (tree.Merge!.Status == MergeStatus.Clean ? tree.Merge.Tree : null))
        throw new InvalidOperationException($"{tree.Name}: the Merge stage and plain git disagree ({tree.Merge.Status}, {tree.Merge.Tree} vs {plain.GetValueOrDefault(tree.Head!)})");
if (plain["window"] != last.MergeWindow!.Tree)
    throw new InvalidOperationException($"merge window: the Merge stage and plain git disagree ({last.MergeWindow.Tree} vs {plain["window"]})");

var conflicted = last.Trees.Count(t => t.Merge!.Status == MergeStatus.Conflict);
Console.WriteLine($"{config.Trees.Count} trees: {config.Trees.Count - conflicted} clean test merges, {conflicted} conflicted; merge window: "
    + $"{last.MergeWindow.Steps.Count(s => s.Status == MergeStatus.Conflict)} of {last.MergeWindow.Steps.Count} steps conflict, {last.MergeWindow.Conflicts.Count} conflicts attributed");
foreach (var what in new[] { Stage, Git })
    Console.WriteLine($"{Median(wall[what]),8:0.0} ms  {what} (median of {wall[what].Count}; CPU {Median(cpu[what]):0} ms)");
Console.WriteLine($"{Median(cpu[Stage]) / Median(cpu[Git]),8:0.00}     CPU ratio: Merge stage / plain git (CPU time, git processes included)");
Console.WriteLine($"{Median(wall[Stage]) / Median(wall[Git]),8:0.00}     ratio: Merge stage / plain git (elapsed)");
return 0;

// utime + stime + cutime + cstime of /proc/self/stat, in clock ticks of 10 ms (fields 14-17, after the command in parentheses).
static double CpuMs()
{
    var stat = File.ReadAllText("/proc/self/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return fields[11..15].Sum(long.Parse) * 10.0;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

sealed class QuietLog : IStageLog
{
    public void Info(string message) { }
    public void Warning(string message, string? file = null, int? line = null) { }
    public void Error(string message, string? file = null, int? line = null) { }
}
