using HmmCi.Config;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Tests.Checks;

public class CheckReportTests
{
    [Fact]
    public void Markdown_lists_findings_under_each_topic_commit_and_the_rest_for_the_topic_as_a_whole()
    {
        var commit = new string('1', 40);
        var report = new MergeReadinessReport
        {
            Topic = new TopicReport { Name = "hmm", Url = "/srv/hmm.git", Branch = "hmm", Head = commit, Base = new string('b', 40), BaseTag = "v6.1" },
            Mainline = new MainlineReport { Url = "/srv/linux.git", Branch = "master", Head = new string('b', 40) },
        };
        report.Topic.Commits.Add(new CommitRef(commit, "mm/hmm: fix | pipe"));
        report.Checks.Add(new CheckFinding("signed-off-by", Severity.Error, commit, "Commit 111111111111 (\"mm/hmm: fix | pipe\") is missing a Signed-off-by from its author"));
        report.Checks.Add(new CheckFinding("base", Severity.Error, null, "The drm tree does not contain the hmm topic's base v6.1"));
        report.Stages.Add(new StageReport("Check", StageStatus.Pass, 12, null));
        Readiness.Decide(report);

        var md = ReportTemplates.Render("report.md.sbn", report);

        Assert.Contains("based on `bbbbbbbbbbbb` (v6.1)", md);
        Assert.Contains("### 111111111111 (\"mm/hmm: fix | pipe\")\n\n| check | severity | message |\n|---|---|---|\n"
            + "| signed-off-by | error | Commit 111111111111 (\"mm/hmm: fix \\| pipe\") is missing a Signed-off-by from its author |", md);
        Assert.Contains("### The hmm topic as a whole\n\n| check | severity | commit | message |\n|---|---|---|---|\n"
            + "| base | error | `` | The drm tree does not contain the hmm topic's base v6.1 |", md);
    }
}
