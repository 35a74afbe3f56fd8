using HmmCi.Config;
using HmmCi.Reports;
using HmmCi.Reports.Email;

namespace HmmCi.GitHub;

/// <summary>
/// The Publish stage: report.eml to its recipients when report.email.smtp is set, and the report on GitHub when
/// GITHUB_TOKEN is. Nothing here fails the run: a failure to publish is a note in the report and the log, the files
/// stay written, and the exit code stays the verdict's.
/// </summary>
public sealed class PublishStage(HmmCiConfig config, Func<string, string?> environment, string outputDirectory)
{
    /// <summary>Why Publish has nothing to do, or null when it has.</summary>
    public string? NothingToDo => GitHubTarget.HasToken(environment) || config.Email.Smtp is not null
        ? null : "GITHUB_TOKEN is not set and hmmci.yml has no report.email.smtp";

    public RetryBounds Retries { get; init; } = RetryBounds.Default;

    /// <summary>Publishes, records what happened in report.Publish, and writes the report files again with it.</summary>
    public async Task<IReadOnlyList<string>> RunAsync(MergeReadinessReport report, CancellationToken cancellation = default)
    {
        var log = new List<string>();
        var published = new PublishReport();
        var view = ReportView.Of(report);

        if (config.Email.Smtp is { } smtp)
            try
            {
                log.Add(await new EmailSender(smtp, environment).SendAsync(ReportEmail.Message(view, config.Email, report.GeneratedAt), cancellation));
            }
            catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
            {
                published.Notes.Add($"report.eml was not sent through {smtp.Host}:{smtp.Port}: {e.Message}");
            }

        var (target, reason) = GitHubTarget.HasToken(environment)
            ? GitHubTarget.Resolve(environment, config.GitHub, report.Topic.Head) : (null, "GITHUB_TOKEN is not set");
        if (target is null)
            log.Add($"GitHub: skipped: {reason}");
        else
            try
            {
                var outcome = await new GitHubPublisher(target, environment(GitHubTarget.TokenVariable)!, Retries).PublishAsync(view, cancellation);
                (published.CheckRun, published.CommitStatus, published.Comment) = (outcome.CheckRunUrl, outcome.CommitStatus, outcome.CommentUrl);
                published.Notes.AddRange(outcome.Notes);
                log.Add($"GitHub: {(outcome.CheckRunUrl is { } url ? $"check run {url}" : $"commit status {outcome.CommitStatus}")} on {target.Owner}/{target.Repository}@{ReportView.Sha12(target.Sha)}"
                    + (outcome.CommentUrl is { } comment ? $", comment {comment}" : "") + $" ({outcome.Requests} requests)");
            }
            catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
            {
                published.Notes.Add($"Publishing on GitHub failed: {e.GetType().Name}: {e.Message}");
            }

        log.AddRange(published.Notes);
        report.Publish = published;
        ReportWriter.Write(report, outputDirectory, config.Email);
        if (published.Notes.Count > 0 && environment("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
            File.AppendAllText(summary, string.Concat(published.Notes.Select(n => $"\n> {n}\n")));
        return log;
    }
}
