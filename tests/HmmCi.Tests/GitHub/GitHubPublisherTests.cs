using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using HmmCi.GitHub;
using HmmCi.Reports;
using HmmCi.Tests.Reports;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace HmmCi.Tests.GitHub;

/// <summary>Octokit against a local GitHub (WireMock on 127.0.0.1), every request checked against GitHub's REST docs.</summary>
public sealed class GitHubPublisherTests : IDisposable
{
    // Octokit sends to <host>/api/v3/ for any host but github.com, as GitHub Enterprise Server serves it.
    const string Api = "/api/v3/repos/hmm-org/hmm";
    static readonly string Sha = HandBuiltReports.TopicCommit.Sha;
    static readonly RetryBounds Fast = new(3, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5));
    readonly WireMockServer _server;

    public GitHubPublisherTests()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        _server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] });
    }

    public void Dispose() => _server.Stop();

    GitHubPublisher Publisher(int? pullRequest = null) =>
        new(new GitHubTarget(new Uri(_server.Url!), "hmm-org", "hmm", Sha, pullRequest), "ghs_test_token", Fast);

    void Tree(params string[] paths) => _server.Given(Request.Create().WithPath($"{Api}/git/trees/{Sha}").UsingGet())
        .RespondWith(Json(200, new { sha = Sha, truncated = false, tree = paths.Select(p => new { path = p, mode = "100644", type = "blob", sha = new string('0', 40) }) }));

    void CheckRuns(int status = 201) => _server.Given(Request.Create().WithPath($"{Api}/check-runs").UsingPost())
        .RespondWith(status == 201 ? Json(201, new { id = 4242, html_url = "https://github.example/hmm-org/hmm/runs/4242" }) : Json(status, new { message = "Resource not accessible by personal access token" }));

    static IResponseBuilder Json(int status, object body) => Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(JsonSerializer.Serialize(body));

    List<(string Method, string Path, JsonElement? Body)> Requests() => _server.LogEntries
        .OrderBy(e => e.RequestMessage!.DateTime)
        .Select(e => (e.RequestMessage!.Method, e.RequestMessage.AbsolutePath, string.IsNullOrEmpty(e.RequestMessage.Body) ? (JsonElement?)null : JsonDocument.Parse(e.RequestMessage.Body!).RootElement))
        .ToList();

    /// <summary>A report with this many build errors, one per line of a file the commit has, and one in a file it has not.</summary>
    static ReportView WithErrors(int count)
    {
        var report = HandBuiltReports.Full();
        var drm = report.Trees.Single(t => t.Name == "drm");
        var merged = drm.Builds.Single(b => b.Kind == BuildKind.Merged);
        merged.Errors.Clear();
        merged.Errors.AddRange(Enumerable.Range(1, count).Select(i => new BuildDiagnostic("mm/hmm.c", i, $"error {i}")));
        merged.Errors.Add(new BuildDiagnostic("drivers/gpu/drm/nouveau/nouveau_svm.c", 3, "not in the topic's commit"));
        merged.NewWarnings.Clear();
        return ReportView.Of(report);
    }

    [Fact]
    public async Task A_check_run_carries_the_verdict_summary_and_annotations_in_batches_of_fifty()
    {
        Tree("mm/hmm.c", "include/linux/hmm.h");
        CheckRuns();
        _server.Given(Request.Create().WithPath($"{Api}/check-runs/4242").UsingPatch()).RespondWith(Json(200, new { id = 4242 }));
        var view = WithErrors(120);

        var outcome = await Publisher().PublishAsync(view);

        var requests = Requests();
        Assert.Equal([("GET", $"{Api}/git/trees/{Sha}"), ("POST", $"{Api}/check-runs"), ("PATCH", $"{Api}/check-runs/4242"), ("PATCH", $"{Api}/check-runs/4242")],
            requests.Select(r => (r.Method, r.Path)));
        Assert.Contains(_server.LogEntries, e => e.RequestMessage!.Path.EndsWith("/git/trees/" + Sha) && e.RequestMessage.Query!["recursive"].Contains("1"));
        var create = requests[1].Body!.Value;
        Assert.Equal("merge-readiness", create.GetProperty("name").GetString());
        Assert.Equal(Sha, create.GetProperty("head_sha").GetString());
        Assert.Equal("completed", create.GetProperty("status").GetString());
        Assert.Equal("failure", create.GetProperty("conclusion").GetString());
        var output = create.GetProperty("output");
        Assert.StartsWith("hmm is NOT ready to merge", output.GetProperty("title").GetString());
        Assert.Contains("| **drm** |", output.GetProperty("summary").GetString());
        var first = output.GetProperty("annotations");
        Assert.Equal(50, first.GetArrayLength());
        Assert.Equal("mm/hmm.c", first[0].GetProperty("path").GetString());
        Assert.Equal(1, first[0].GetProperty("start_line").GetInt32());
        Assert.Equal(1, first[0].GetProperty("end_line").GetInt32());
        Assert.Equal("failure", first[0].GetProperty("annotation_level").GetString());
        Assert.Equal("error 1", first[0].GetProperty("message").GetString());
        // 120 errors in mm/hmm.c and the merge window conflict in include/linux/hmm.h.
        Assert.Equal([50, 21], requests.Skip(2).Select(r => r.Body!.Value.GetProperty("output").GetProperty("annotations").GetArrayLength()));
        // Each update repeats title and summary, which GitHub requires with annotations.
        Assert.All(requests.Skip(2), r => Assert.Equal(output.GetProperty("title").GetString(), r.Body!.Value.GetProperty("output").GetProperty("title").GetString()));
        Assert.Equal("https://github.example/hmm-org/hmm/runs/4242", outcome.CheckRunUrl);
        // The conflict in umem_odp.c and the error in nouveau_svm.c are not in the commit: summary only.
        Assert.Equal([$"2 of 123 annotations are in the summary only: their paths are not in {Sha[..12]}."], outcome.Notes);
        Assert.True(outcome.Requests <= 3 + (int)Math.Ceiling(120 / 50.0));
    }

    [Fact]
    public async Task Without_check_run_permission_the_verdict_goes_to_a_commit_status_and_the_report_says_so()
    {
        Tree("mm/hmm.c");
        CheckRuns(403);
        _server.Given(Request.Create().WithPath($"{Api}/statuses/{Sha}").UsingPost()).RespondWith(Json(201, new { id = 1, state = "failure" }));

        var outcome = await Publisher().PublishAsync(WithErrors(2));

        var status = Requests().Single(r => r.Path == $"{Api}/statuses/{Sha}");
        Assert.Equal("POST", status.Method);
        Assert.Equal("failure", status.Body!.Value.GetProperty("state").GetString());
        Assert.Equal("merge-readiness", status.Body.Value.GetProperty("context").GetString());
        Assert.True(status.Body.Value.GetProperty("description").GetString()!.Length <= 140);
        Assert.Null(outcome.CheckRunUrl);
        Assert.Equal("failure", outcome.CommitStatus);
        Assert.Contains(outcome.Notes, n => n.StartsWith("Posted as a commit status (failure) instead of a check run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_pull_request_comment_is_updated_in_place_when_it_exists_and_created_once_otherwise()
    {
        CheckRuns();
        Tree("mm/hmm.c");
        var view = WithErrors(1);
        var marker = GitHubPublisher.Marker(view);
        Assert.Equal("<!-- hmmci:merge-readiness drm,rdma -->", marker);
        _server.Given(Request.Create().WithPath($"{Api}/issues/7/comments").UsingGet()).RespondWith(Json(200, new object[]
        {
            new { id = 11, body = "LGTM", html_url = "https://github.example/c/11" },
            // Another matrix job's comment, for another set of trees, is left alone.
            new { id = 10, body = "<!-- hmmci:merge-readiness mm -->\nthe mm tree's report", html_url = "https://github.example/c/10" },
            new { id = 12, body = $"{marker}\nold report", html_url = "https://github.example/c/12" },
        }));
        _server.Given(Request.Create().WithPath($"{Api}/issues/comments/12").UsingPatch()).RespondWith(Json(200, new { id = 12, html_url = "https://github.example/c/12" }));
        _server.Given(Request.Create().WithPath($"{Api}/issues/8/comments").UsingGet()).RespondWith(Json(200, Array.Empty<object>()));
        _server.Given(Request.Create().WithPath($"{Api}/issues/8/comments").UsingPost()).RespondWith(Json(201, new { id = 13, html_url = "https://github.example/c/13" }));

        var updated = await Publisher(pullRequest: 7).PublishAsync(view);
        var created = await Publisher(pullRequest: 8).PublishAsync(view);

        var requests = Requests();
        var patch = requests.Single(r => r.Method == "PATCH" && r.Path == $"{Api}/issues/comments/12");
        Assert.StartsWith(marker + "\n", patch.Body!.Value.GetProperty("body").GetString());
        Assert.Contains("# HmmCi: hmm is NOT ready to merge", patch.Body.Value.GetProperty("body").GetString());
        Assert.DoesNotContain(requests, r => r.Method == "POST" && r.Path == $"{Api}/issues/7/comments");
        Assert.Single(requests, r => r.Method == "POST" && r.Path == $"{Api}/issues/8/comments");
        Assert.Equal("https://github.example/c/12", updated.CommentUrl);
        Assert.Equal("https://github.example/c/13", created.CommentUrl);
        // One listing, one write per run, with the check run and the tree: 3 + ceil(annotations / 50).
        Assert.Equal(4, updated.Requests);
    }

    [Fact]
    public async Task Server_errors_and_rate_limits_are_retried_as_github_asks()
    {
        Tree("mm/hmm.c");
        _server.Given(Request.Create().WithPath($"{Api}/check-runs").UsingPost()).InScenario("flaky").WillSetStateTo("limited")
            .RespondWith(Json(502, new { message = "Bad Gateway" }));
        _server.Given(Request.Create().WithPath($"{Api}/check-runs").UsingPost()).InScenario("flaky").WhenStateIs("limited").WillSetStateTo("ok")
            .RespondWith(Json(403, new { message = "API rate limit exceeded" })
                .WithHeader("x-ratelimit-remaining", "0").WithHeader("x-ratelimit-limit", "5000")
                .WithHeader("x-ratelimit-reset", DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString()));
        _server.Given(Request.Create().WithPath($"{Api}/check-runs").UsingPost()).InScenario("flaky").WhenStateIs("ok")
            .RespondWith(Json(201, new { id = 4242, html_url = "https://github.example/runs/4242" }));

        var outcome = await Publisher().PublishAsync(WithErrors(1));

        Assert.Equal(3, Requests().Count(r => r.Path == $"{Api}/check-runs"));
        Assert.Equal("https://github.example/runs/4242", outcome.CheckRunUrl);
    }

    [Fact]
    public async Task Retries_are_bounded_and_a_wait_longer_than_allowed_is_not_attempted()
    {
        _server.Given(Request.Create().WithPath($"{Api}/check-runs").UsingPost()).RespondWith(Json(503, new { message = "unavailable" }));
        await Assert.ThrowsAnyAsync<Octokit.ApiException>(() => Publisher().PublishAsync(ReportView.Of(HandBuiltReports.Full() is var r && Clean(r) ? r : r)));
        Assert.Equal(1 + Fast.MaxRetries, Requests().Count(x => x.Path == $"{Api}/check-runs"));

        _server.Reset();
        _server.Given(Request.Create().WithPath($"{Api}/check-runs").UsingPost())
            .RespondWith(Json(429, new { message = "slow down" }).WithHeader("Retry-After", "3600"));
        await Assert.ThrowsAnyAsync<Octokit.ApiException>(() => Publisher().PublishAsync(ReportView.Of(HandBuiltReports.Full() is var s && Clean(s) ? s : s)));
        Assert.Single(Requests(), x => x.Path == $"{Api}/check-runs");
    }

    /// <summary>Leaves a report with nothing to annotate, so only the check run is requested.</summary>
    static bool Clean(MergeReadinessReport report)
    {
        foreach (var tree in report.Trees)
        {
            tree.Builds.Clear();
            tree.Merge = new MergeReport { Status = MergeStatus.Clean };
        }
        report.MergeWindow = new MergeWindowReport { Status = MergeStatus.Clean };
        return true;
    }

    [Fact]
    public void A_ready_report_succeeds_and_an_incomplete_one_asks_for_action_and_says_what_was_not_verified()
    {
        var report = HandBuiltReports.Full();
        Clean(report);
        report.Checks.Clear();
        BuildRecord Passed(BuildKind kind) => new() { Kind = kind, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Pass, Commit = new string('c', 40) };
        foreach (var tree in report.Trees)
        {
            tree.Duplicates.Clear();
            tree.Builds.Add(Passed(BuildKind.Merged));
            tree.Build = new BuildReport { Status = StageStatus.Pass };
            tree.Selftests = new SelftestsReport { Status = StageStatus.Pass };
        }
        report.Topic.Builds.Add(Passed(BuildKind.Topic));
        report.MergeWindow.Builds.Add(Passed(BuildKind.MergeWindow));
        Readiness.Decide(report);
        Assert.Equal(Octokit.CheckConclusion.Success, GitHubPublisher.Conclusion(ReportView.Of(report)));

        report.Stages.RemoveAll(s => s.Name == "Selftests");
        Readiness.Decide(report);
        var view = ReportView.Of(report);
        // Required checks pass on success, neutral and skipped: an incomplete run must be none of them.
        Assert.Equal(Octokit.CheckConclusion.ActionRequired, GitHubPublisher.Conclusion(view));
        Assert.Equal("hmm: nothing found wrong, but 1 thing could not be verified: stage Selftests: did not run", GitHubPublisher.Title(view));
    }
}
