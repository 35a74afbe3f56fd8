using System.Text.Json;
using HmmCi.Config;

namespace HmmCi.GitHub;

/// <summary>Where the check run, commit status and pull request comment go.</summary>
public sealed record GitHubTarget(Uri ApiUrl, string Owner, string Repository, string Sha, int? PullRequest)
{
    /// <summary>The Actions run's page, where the check run's details are (GitHub asks for one with action_required).</summary>
    public string? DetailsUrl { get; init; }

    /// <summary>The only place the token is read: Publish's, at the moment it publishes.</summary>
    public const string TokenVariable = "GITHUB_TOKEN";

    public static bool HasToken(Func<string, string?> environment) => !string.IsNullOrEmpty(environment(TokenVariable));

    /// <summary>
    /// Inside GitHub Actions, the runner's own variables (GITHUB_API_URL, GITHUB_REPOSITORY, GITHUB_SHA, and for a
    /// pull request GITHUB_EVENT_NAME with GITHUB_EVENT_PATH); outside, hmmci.yml's publish.github, on the topic head
    /// unless it names a commit. Null, with the reason, when there is nowhere to publish.
    /// </summary>
    public static (GitHubTarget? Target, string? Reason) Resolve(Func<string, string?> environment, GitHubConfig? config, string? topicHead)
    {
        if (environment("GITHUB_ACTIONS") == "true")
        {
            var repository = environment("GITHUB_REPOSITORY");
            var sha = environment("GITHUB_SHA");
            if (string.IsNullOrEmpty(repository) || string.IsNullOrEmpty(sha)) return (null, "GITHUB_REPOSITORY or GITHUB_SHA is not set");
            var api = environment("GITHUB_API_URL") is { Length: > 0 } url ? url : "https://api.github.com";
            var (target, reason) = Make(api, repository, sha, PullRequestOf(environment("GITHUB_EVENT_NAME"), environment("GITHUB_EVENT_PATH")));
            var details = environment("GITHUB_SERVER_URL") is { Length: > 0 } server && environment("GITHUB_RUN_ID") is { Length: > 0 } run
                ? $"{server.TrimEnd('/')}/{repository}/actions/runs/{run}" : null;
            return (target is null ? null : target with { DetailsUrl = details }, reason);
        }
        if (config is null) return (null, "not in GitHub Actions, and hmmci.yml has no publish.github");
        var commit = config.Sha ?? topicHead;
        return commit is null ? (null, "publish.github names no sha and the topic head is not known") : Make(config.ApiUrl, config.Repository, commit, config.PullRequest);
    }

    private static (GitHubTarget?, string?) Make(string api, string repository, string sha, int? pullRequest) =>
        repository.Split('/') is [{ Length: > 0 } owner, { Length: > 0 } name] && Uri.TryCreate(api, UriKind.Absolute, out var uri)
            ? (new GitHubTarget(uri, owner, name, sha, pullRequest), null)
            : (null, $"'{repository}' at {api} is not an owner/name repository at an API URL");

    /// <summary>The pull request number from the event payload, for pull_request and pull_request_target runs.</summary>
    public static int? PullRequestOf(string? eventName, string? eventPath)
    {
        if (eventName is not ("pull_request" or "pull_request_target") || eventPath is null || !File.Exists(eventPath)) return null;
        using var payload = JsonDocument.Parse(File.ReadAllText(eventPath));
        var root = payload.RootElement;
        if (root.TryGetProperty("pull_request", out var pr) && pr.TryGetProperty("number", out var n) && n.TryGetInt32(out var number)) return number;
        return root.TryGetProperty("number", out var top) && top.TryGetInt32(out var topNumber) ? topNumber : null;
    }
}
