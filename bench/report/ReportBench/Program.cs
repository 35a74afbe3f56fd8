// Renders every report format (report.json, .md, .html, .eml, kcidb.json, the sized job summary and check-run
// summary) for the sample's report and for one ten times its size, side by side in one process, and publishes the
// big one to a local stand-in for GitHub's API counting the requests. Usage: ReportBench <sample report.json> <rounds>
using System.Diagnostics;
using System.Net;
using System.Text;
using HmmCi.GitHub;
using HmmCi.Reports;
using HmmCi.Trees;

// The sample's own trees, checks and conflicts, its builds and selftests replaced by 6 selftest results per tree and
// build errors up to 20 findings, made as the 10x report's are; the 10x report is the same grown tenfold.
var captured = ReportJson.Deserialize(File.ReadAllText(args[0]));
var rounds = int.Parse(args[1]);
var sample = Scale(captured, trees: 3, tests: 6, findings: 20);
var big = Scale(captured, trees: 30, tests: 60, findings: 200);
var output = Directory.CreateTempSubdirectory("hmmci-bench-report-");
try
{
    Render(sample, output.FullName);
    Render(big, output.FullName);
    var small = new List<double>();
    var large = new List<double>();
    for (var i = 0; i < rounds; i++)
    {
        small.Add(Time(() => Render(sample, output.FullName)));
        large.Add(Time(() => Render(big, output.FullName)));
    }
    var view = ReportView.Of(big);
    var locations = view.Problems.Sum(p => p.Locations.Count);
    var requests = await Publish(view);
    var budget = 3 + (int)Math.Ceiling(locations / 50.0);
    Console.WriteLine($"sample: {sample.Trees.Count} trees, {sample.Trees.Sum(t => t.Selftests.Tests.Count)} tests, {Findings(sample)} findings; median {Median(small):F1} ms for every format");
    Console.WriteLine($"10x:    {big.Trees.Count} trees, {big.Trees.Sum(t => t.Selftests.Tests.Count)} tests, {Findings(big)} findings; median {Median(large):F1} ms for every format");
    Console.WriteLine($"publishing the 10x report: {requests} API requests for {locations} annotations (at most 3 + ceil({locations}/50) = {budget}){(requests <= budget ? "" : " OVER BUDGET")}");
    Console.WriteLine($"ratio {Median(large) / Median(small):F2} (target: at most 10)");
}
finally
{
    output.Delete(recursive: true);
}

static void Render(MergeReadinessReport report, string directory)
{
    ReportWriter.Write(report, directory);
    var view = ReportView.Of(report);
    SizedMarkdown.Render(view, ReportWriter.StepSummaryLimit, s => Encoding.UTF8.GetByteCount(s), "bytes");
    SizedMarkdown.Render(view, GitHubPublisher.SummaryLimit, s => s.Length, "characters");
}

static double Time(Action action)
{
    var watch = Stopwatch.StartNew();
    action();
    return watch.Elapsed.TotalMilliseconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

// Check findings, conflicts and build diagnostics.
static int Findings(MergeReadinessReport r) =>
    r.Checks.Count + r.MergeWindow.Conflicts.Count + r.Trees.Sum(t => (t.Merge.Status == MergeStatus.Resolved ? 0 : t.Merge.Conflicts.Count) + t.Builds.Sum(b => b.Errors.Count + b.NewWarnings.Count));

// The sample's report grown to the given size: its trees copied, selftest results and build errors added, and its
// check findings repeated to scale.
static MergeReadinessReport Scale(MergeReadinessReport sample, int trees, int tests, int findings)
{
    var report = ReportJson.Deserialize(ReportJson.Serialize(sample));
    var templates = report.Trees.ToList();
    report.Trees.Clear();
    var topic = report.Topic.Commits.FirstOrDefault() ?? new CommitRef(report.Topic.Head ?? new string('a', 40), "mm/hmm: change");
    var checks = report.Checks.ToList();
    report.Checks.Clear();
    report.Checks.AddRange(Enumerable.Range(0, Math.Max(1, findings / 2)).Select(i => checks[i % checks.Count]));
    var rest = findings - report.Checks.Count - report.MergeWindow.Conflicts.Count;
    for (var i = 0; i < trees; i++)
    {
        var perTree = rest / trees + (i < rest % trees ? 1 : 0);
        var copy = ReportJson.Deserialize(ReportJson.Serialize(sample)).Trees[i % templates.Count];
        var tree = new TreeReport { Name = $"{copy.Name}{i}", Url = copy.Url, Branch = copy.Branch, Head = copy.Head, Merge = copy.Merge };
        perTree -= copy.Merge.Status == MergeStatus.Resolved ? 0 : copy.Merge.Conflicts.Count;
        var errors = Enumerable.Range(0, Math.Max(0, perTree)).Select(n => new BuildDiagnostic("mm/hmm.c", 100 + n, $"error {n} in tree {i}")
        {
            Culprit = new Culprit(topic, null, tree.Name, $"Caused by commit {topic}."),
            Context = ["mm/hmm.c: In function 'hmm_range_fault':"],
        }).ToList();
        tree.Builds.Add(new BuildRecord { Kind = BuildKind.Baseline, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Pass, Commit = copy.Head });
        tree.Builds.Add(new BuildRecord { Kind = BuildKind.Merged, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Fail, Commit = copy.Merge.Commit ?? copy.Head, Errors = errors, LogTail = string.Join("\n", errors.Select(e => e.Message)) });
        tree.Build = new BuildReport { Status = StageStatus.Fail, Errors = errors };
        tree.Selftests = new SelftestsReport
        {
            Status = StageStatus.Fail,
            Tests = Enumerable.Range(0, tests).Select(n => new SelftestResult($"hmm.hmm_device_private.test{n}", n % 20 == 0 ? TestStatus.Fail : TestStatus.Pass, TestStatus.Pass)
            { Diagnostics = n % 20 == 0 ? [$"# hmm-tests.c:{n}:test{n}:Expected 0"] : [] }).ToList(),
        };
        report.Trees.Add(tree);
    }
    Readiness.Decide(report);
    return report;
}

// A local stand-in for GitHub's REST API that answers what Publish asks and counts the requests.
static async Task<int> Publish(ReportView view)
{
    var port = FreePort();
    using var listener = new HttpListener();
    listener.Prefixes.Add($"http://127.0.0.1:{port}/");
    listener.Start();
    var count = 0;
    using var stop = new CancellationTokenSource();
    var serve = Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); } catch (HttpListenerException) { return; } catch (ObjectDisposedException) { return; }
            Interlocked.Increment(ref count);
            var path = context.Request.Url!.AbsolutePath;
            var body = path.Contains("/git/trees/") ? "{\"sha\":\"x\",\"truncated\":false,\"tree\":[{\"path\":\"mm/hmm.c\",\"type\":\"blob\",\"mode\":\"100644\",\"sha\":\"x\"}]}"
                : path.EndsWith("/comments") && context.Request.HttpMethod == "GET" ? "[]"
                : "{\"id\":1,\"html_url\":\"http://127.0.0.1/x\"}";
            context.Response.StatusCode = context.Request.HttpMethod == "POST" ? 201 : 200;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    });
    var target = new GitHubTarget(new Uri($"http://127.0.0.1:{port}/"), "hmm-org", "hmm", new string('a', 40), 1);
    var outcome = await new GitHubPublisher(target, "bench-token").PublishAsync(view);
    stop.Cancel();
    listener.Stop();
    await serve;
    return outcome.Requests == count ? count : throw new InvalidOperationException($"the publisher counted {outcome.Requests} requests, the server {count}");
}

static int FreePort()
{
    var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    l.Start();
    var port = ((IPEndPoint)l.LocalEndpoint).Port;
    l.Stop();
    return port;
}
