using MimeKit;

namespace HmmCi.Config;

/// <summary>The mail server report.eml is sent through; the login comes from the environment, never the config.</summary>
public sealed record SmtpConfig(string Host, int Port);

/// <summary>Who report.eml is from and for (<c>report.email</c>).</summary>
public sealed record EmailConfig(string From, IReadOnlyList<string> To, IReadOnlyList<string> Cc, SmtpConfig? Smtp)
{
    public static readonly EmailConfig Default = new("HmmCi <hmmci@localhost>", [], [], null);
}

/// <summary>Where Publish posts outside GitHub Actions (<c>publish.github</c>); inside Actions the runner's variables win.</summary>
public sealed record GitHubConfig(string ApiUrl, string Repository, string? Sha, int? PullRequest);

/// <summary>Reads the <c>report:</c> and <c>publish:</c> sections of hmmci.yml (docs/config.md).</summary>
internal static class ReportConfigReader
{
    private static readonly string[] ReportKeys = ["email"];
    private static readonly string[] EmailKeys = ["from", "to", "cc", "smtp"];
    private static readonly string[] SmtpKeys = ["host", "port"];
    private static readonly string[] PublishKeys = ["github"];
    private static readonly string[] GitHubKeys = ["api-url", "repository", "sha", "pull-request"];

    public static EmailConfig ReadEmail(YamlSection? report)
    {
        var email = report?.OptionalSection("email", EmailKeys);
        if (email is null) return EmailConfig.Default;
        var smtp = email.OptionalSection("smtp", SmtpKeys);
        return new EmailConfig(
            email.OptionalString("from") is { } from ? Address(email, "from", from) : EmailConfig.Default.From,
            Addresses(email, "to"), Addresses(email, "cc"),
            smtp is null ? null : new SmtpConfig(smtp.String("host"), smtp.OptionalString("port") is { } port ? Port(smtp, port) : 587));
    }

    public static GitHubConfig? ReadGitHub(YamlSection? publish)
    {
        var github = publish?.OptionalSection("github", GitHubKeys);
        if (github is null) return null;
        var apiUrl = github.OptionalString("api-url") ?? "https://api.github.com";
        if (!Uri.TryCreate(apiUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            throw github.Error("api-url", $"{github.Path}.api-url: '{apiUrl}' is not an http(s) URL");
        var repository = github.String("repository");
        if (repository.Split('/') is not [{ Length: > 0 }, { Length: > 0 }])
            throw github.Error("repository", $"{github.Path}.repository: '{repository}' is not owner/name");
        var sha = github.OptionalString("sha");
        if (sha is not null && !System.Text.RegularExpressions.Regex.IsMatch(sha, "^[0-9a-f]{40}$"))
            throw github.Error("sha", $"{github.Path}.sha: '{sha}' is not a full 40-hex commit id");
        int? pullRequest = github.OptionalString("pull-request") is { } pr
            ? int.TryParse(pr, out var n) && n > 0 ? n : throw github.Error("pull-request", $"{github.Path}.pull-request: '{pr}' is not a pull request number")
            : null;
        return new GitHubConfig(apiUrl.TrimEnd('/'), repository, sha, pullRequest);
    }

    public static IReadOnlyCollection<string> ReportSectionKeys => ReportKeys;
    public static IReadOnlyCollection<string> PublishSectionKeys => PublishKeys;

    private static List<string> Addresses(YamlSection email, string key) => !email.Has(key) ? [] : email.List(key)
        .Select(item => Address(item.Node is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } v } ? v : "", message => email.Error(item.Node, $"{item.Path}: {message}")))
        .ToList();

    private static string Address(YamlSection section, string key, string value) => Address(value, message => section.Error(key, $"{section.Path}.{key}: {message}"));

    private static string Address(string value, Func<string, ConfigException> error) =>
        MailboxAddress.TryParse(value, out var address) && address.Address.Contains('@')
            ? address.ToString()
            : throw error($"'{value}' is not a mail address (Name <user@example.org>)");

    private static int Port(YamlSection smtp, string value) =>
        int.TryParse(value, out var port) && port is > 0 and < 65536 ? port : throw smtp.Error("port", $"{smtp.Path}.port: '{value}' is not a TCP port");
}
