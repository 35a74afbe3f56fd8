using System.Globalization;
using System.Net;
using HmmCi.Reports;
using Octokit;
using Polly;
using Polly.Retry;

namespace HmmCi.GitHub;

/// <summary>What Publish did on GitHub, for the report and the log.</summary>
public sealed record GitHubOutcome(string? CheckRunUrl, string? CommitStatus, string? CommentUrl, IReadOnlyList<string> Notes, int Requests);

/// <summary>Bounds on retrying GitHub: how often, how long to wait at most, and the first back-off.</summary>
public sealed record RetryBounds(int MaxRetries, TimeSpan FirstDelay, TimeSpan MaxDelay)
{
    public static readonly RetryBounds Default = new(4, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(90));
}

/// <summary>
/// Publishes the report on GitHub through Octokit: a check run merge-readiness on the commit with the verdict,
/// the Markdown summary and annotations at path:line (50 per request, the rest in later updates); a commit status
/// instead when the token may not create check runs; and one pull request comment, found again by its hidden marker
/// and updated in place. Requests are retried on 5xx and rate limits, honouring Retry-After and x-ratelimit-reset.
/// </summary>
public sealed class GitHubPublisher
{
    public const string CheckName = "merge-readiness";
    /// <summary>
    /// The hidden marker that finds the comment again: one per set of trees, so the jobs of a per-tree matrix each
    /// keep their own comment instead of overwriting each other's.
    /// </summary>
    public static string Marker(ReportView view) => $"<!-- hmmci:merge-readiness {string.Join(",", view.Trees.Select(t => t.Name))} -->";
    /// <summary>GitHub's limits: a check run's summary, a comment's body, annotations per request.</summary>
    public const int SummaryLimit = 65535;
    public const int CommentLimit = 65536;
    public const int AnnotationsPerRequest = 50;

    private readonly GitHubTarget _target;
    private readonly IGitHubClient _client;
    private readonly ResiliencePipeline _retry;
    private int _requests;

    public GitHubPublisher(GitHubTarget target, string token, RetryBounds? bounds = null)
    {
        _target = target;
        _client = new GitHubClient(new ProductHeaderValue("HmmCi"), target.ApiUrl) { Credentials = new Credentials(token) };
        _retry = Retry(bounds ?? RetryBounds.Default);
    }

    public async Task<GitHubOutcome> PublishAsync(ReportView view, CancellationToken cancellation = default)
    {
        var notes = new List<string>();
        var (owner, name, sha) = (_target.Owner, _target.Repository, _target.Sha);
        var locations = view.Problems.SelectMany(p => p.Locations).ToList();
        var annotations = locations.Count == 0 ? [] : await AnnotationsAsync(locations, cancellation);
        if (annotations.Count < locations.Count)
            notes.Add($"{locations.Count - annotations.Count} of {locations.Count} annotations are in the summary only: their paths are not in {Reports.ReportView.Sha12(sha)}.");
        var title = Title(view);
        string? checkRun = null, status = null;
        try
        {
            var summary = SizedMarkdown.Render(view, SummaryLimit, s => s.Length, "characters");
            var run = await Call(() => _client.Check.Run.Create(owner, name, new NewCheckRun(CheckName, sha)
            {
                Status = CheckStatus.Completed,
                Conclusion = Conclusion(view),
                DetailsUrl = _target.DetailsUrl,
                CompletedAt = DateTimeOffset.UtcNow,
                Output = new NewCheckRunOutput(title, summary) { Annotations = annotations.Take(AnnotationsPerRequest).ToList() },
            }), cancellation);
            // GitHub takes at most 50 annotations per request; later updates add the rest.
            foreach (var batch in annotations.Skip(AnnotationsPerRequest).Chunk(AnnotationsPerRequest))
                await Call(() => _client.Check.Run.Update(owner, name, run.Id, new CheckRunUpdate { Output = new NewCheckRunOutput(title, summary) { Annotations = batch } }), cancellation);
            checkRun = run.HtmlUrl;
        }
        catch (ForbiddenException e) when (e is not (RateLimitExceededException or SecondaryRateLimitExceededException))
        {
            // A token from outside Actions (a personal access token) may not create check runs: say the verdict as a commit status.
            var state = view.Ready ? CommitState.Success : view.Incomplete ? CommitState.Error : CommitState.Failure;
            await Call(() => _client.Repository.Status.Create(owner, name, sha, new NewCommitStatus
            {
                State = state, Context = CheckName, Description = Truncate(title, 140),
            }), cancellation);
            status = WireName(state);
            notes.Add($"Posted as a commit status ({status}) instead of a check run: this token may not create check runs ({e.Message.TrimEnd('.')}), so there are no annotations.");
        }

        string? comment = null;
        if (_target.PullRequest is { } number)
            comment = await CommentAsync(number, view, notes, cancellation);
        return new GitHubOutcome(checkRun, status, comment, notes, _requests);
    }

    public static string Title(ReportView view)
    {
        var errors = view.Problems.Count(p => p.IsError);
        var warnings = view.Problems.Count - errors;
        return view.Ready ? $"{view.Topic} is ready to merge into {string.Join(", ", view.Trees.Select(t => t.Name))}"
            : view.Incomplete ? $"{view.Topic}: nothing found wrong, but {view.Unverified.Count} thing{(view.Unverified.Count == 1 ? "" : "s")} could not be verified: "
                + string.Join("; ", view.Unverified.Take(3)) + (view.Unverified.Count > 3 ? "; ..." : "") + (warnings > 0 ? $" ({warnings} warning{(warnings == 1 ? "" : "s")})" : "")
            : $"{view.Topic} is NOT ready to merge: {errors} problem{(errors == 1 ? "" : "s")}{(warnings > 0 ? $", {warnings} warning{(warnings == 1 ? "" : "s")}" : "")}";
    }

    /// <summary>
    /// Incomplete is action_required: a conclusion a required check never passes with (success, neutral and skipped
    /// do), unlike failure it says that nothing was found.
    /// </summary>
    public static CheckConclusion Conclusion(ReportView view) =>
        view.Ready ? CheckConclusion.Success : view.Incomplete ? CheckConclusion.ActionRequired : CheckConclusion.Failure;

    /// <summary>The locations whose path exists in the commit (GitHub rejects the rest), as annotations.</summary>
    private async Task<List<NewCheckRunAnnotation>> AnnotationsAsync(List<LocationView> locations, CancellationToken cancellation)
    {
        var tree = await Call(() => _client.Git.Tree.GetRecursive(_target.Owner, _target.Repository, _target.Sha), cancellation);
        var paths = tree.Tree.Where(t => t.Type.Value == TreeType.Blob).Select(t => t.Path).ToHashSet(StringComparer.Ordinal);
        return locations.Where(l => paths.Contains(l.Path)).Select(l => new NewCheckRunAnnotation(l.Path, l.Line, l.Line, Level(l.Severity), Truncate(l.Message, 65535))
        {
            Title = Truncate(l.Title, 255),
        }).ToList();
    }

    private async Task<string> CommentAsync(int number, ReportView view, List<string> notes, CancellationToken cancellation)
    {
        var marker = Marker(view);
        var budget = CommentLimit - marker.Length - 2 - notes.Sum(n => n.Length + 4);
        var body = marker + "\n" + string.Concat(notes.Select(n => $"> {n}\n\n")) + SizedMarkdown.Render(view, budget, s => s.Length, "characters");
        var comments = await Call(() => _client.Issue.Comment.GetAllForIssue(_target.Owner, _target.Repository, number, new ApiOptions { PageSize = 100 }), cancellation);
        var mine = comments.FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true);
        var written = mine is null
            ? await Call(() => _client.Issue.Comment.Create(_target.Owner, _target.Repository, number, body), cancellation)
            : await Call(() => _client.Issue.Comment.Update(_target.Owner, _target.Repository, mine.Id, body), cancellation);
        return written.HtmlUrl;
    }

    private async Task<T> Call<T>(Func<Task<T>> request, CancellationToken cancellation) =>
        await _retry.ExecuteAsync(async _ => { Interlocked.Increment(ref _requests); return await request(); }, cancellation);

    /// <summary>5xx and rate limits are retried, waiting as GitHub asks (Retry-After, x-ratelimit-reset) within the bounds.</summary>
    private static ResiliencePipeline Retry(RetryBounds bounds) => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
    {
        MaxRetryAttempts = bounds.MaxRetries,
        BackoffType = DelayBackoffType.Exponential,
        Delay = bounds.FirstDelay,
        MaxDelay = bounds.MaxDelay,
        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is ApiException e && IsTransient(e) && (WaitFor(e) ?? TimeSpan.Zero) <= bounds.MaxDelay),
        DelayGenerator = args => ValueTask.FromResult(args.Outcome.Exception is ApiException e ? WaitFor(e) : null),
    }).Build();

    private static bool IsTransient(ApiException e) =>
        (int)e.StatusCode >= 500 || e is RateLimitExceededException or SecondaryRateLimitExceededException
        || e.StatusCode == (HttpStatusCode)429 || (e.StatusCode == HttpStatusCode.Forbidden && Header(e, "x-ratelimit-remaining") == "0");

    /// <summary>How long GitHub asked to wait; null leaves the exponential back-off to decide.</summary>
    public static TimeSpan? WaitFor(ApiException e)
    {
        if (Header(e, "Retry-After") is { } after && int.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(seconds);
        if (Header(e, "x-ratelimit-reset") is { } reset && long.TryParse(reset, NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            && (Header(e, "x-ratelimit-remaining") == "0" || e.StatusCode == (HttpStatusCode)429 || e is RateLimitExceededException))
            return TimeSpan.FromSeconds(Math.Max(0, epoch - DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        return null;
    }

    private static string? Header(ApiException e, string name) =>
        e.HttpResponse?.Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static CheckAnnotationLevel Level(string severity) => severity switch
    {
        "failure" => CheckAnnotationLevel.Failure,
        "warning" => CheckAnnotationLevel.Warning,
        _ => CheckAnnotationLevel.Notice,
    };

    private static string WireName(CommitState state) => state.ToString().ToLowerInvariant();

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
