using HmmCi.Config;

namespace HmmCi.Tests.Config;

public class ReportConfigTests
{
    private const string Trees = """
        topic:    { name: hmm, url: https://example.org/hmm.git, branch: hmm }
        mainline: { url: https://example.org/linux.git, branch: master }
        trees:
          - { name: rdma, url: https://example.org/rdma.git, branch: for-next }

        """;

    private static HmmCiConfig Parse(string extra) => ConfigLoader.Parse(Trees + extra, "hmmci.yml");

    private static string Reject(string extra) => Assert.Throws<ConfigException>(() => Parse(extra)).Message;

    [Fact]
    public void Report_email_gives_from_to_cc_and_the_mail_server()
    {
        var config = Parse("""
            report:
              email:
                from: HmmCi <hmmci@example.org>
                to: [Jason Gunthorpe <jgg@nvidia.com>]
                cc: [linux-mm@kvack.org, "Airlie, Dave <airlied@gmail.com>"]
                smtp: { host: smtp.example.org }
            """);
        Assert.Equal("\"HmmCi\" <hmmci@example.org>".Replace("\"", ""), config.Email.From.Replace("\"", ""));
        Assert.Equal(["\"Jason Gunthorpe\" <jgg@nvidia.com>".Replace("\"", "")], config.Email.To.Select(t => t.Replace("\"", "")));
        Assert.Equal(2, config.Email.Cc.Count);
        Assert.Equal(new SmtpConfig("smtp.example.org", 587), config.Email.Smtp);
    }

    [Fact]
    public void Without_report_email_the_message_is_from_hmmci_to_nobody_and_never_sent()
    {
        var config = Parse("");
        Assert.Equal(EmailConfig.Default, config.Email);
        Assert.Null(config.GitHub);
    }

    [Fact]
    public void A_bad_address_an_unknown_key_or_a_bad_port_names_the_key_and_line()
    {
        Assert.Equal("hmmci.yml:9:9: report.email.to[1]: 'not an address' is not a mail address (Name <user@example.org>)",
            Reject("report:\n  email:\n    to:\n      - jgg@nvidia.com\n      - not an address\n"));
        Assert.StartsWith("hmmci.yml:7:5: unknown key 'report.email.bcc'", Reject("report:\n  email:\n    bcc: [a@b.org]\n"));
        Assert.StartsWith("hmmci.yml:7:", Reject("report:\n  email:\n    smtp: { host: smtp.example.org, port: 99999 }\n"));
        Assert.EndsWith("report.email.smtp.port: '99999' is not a TCP port", Reject("report:\n  email:\n    smtp: { host: smtp.example.org, port: 99999 }\n"));
        Assert.StartsWith("hmmci.yml:8:7: unknown key 'report.email.smtp.password'", Reject("report:\n  email:\n    smtp:\n      password: hunter2\n"));
    }

    [Fact]
    public void Publish_github_names_the_repository_outside_actions_and_is_checked()
    {
        var config = Parse("publish:\n  github: { repository: hmm-org/hmm, pull-request: 12 }\n");
        Assert.Equal(new GitHubConfig("https://api.github.com", "hmm-org/hmm", null, 12), config.GitHub);
        Assert.Contains("publish.github.repository: 'hmm' is not owner/name", Reject("publish:\n  github: { repository: hmm }\n"));
        Assert.Contains("publish.github.sha: 'abc' is not a full 40-hex commit id", Reject("publish:\n  github: { repository: a/b, sha: abc }\n"));
        Assert.Contains("publish.github.api-url: 'ftp://x' is not an http(s) URL", Reject("publish:\n  github: { repository: a/b, api-url: 'ftp://x' }\n"));
        Assert.Contains("unknown key 'publish.github.token'", Reject("publish:\n  github: { repository: a/b, token: ghp_x }\n"));
    }
}
