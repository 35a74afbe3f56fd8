using System.Net;
using HmmCi.GitHub;
using HmmCi.Reports;
using HmmCi.Reports.Email;
using HmmCi.Selftests;

namespace HmmCi.Tests.Reports;

/// <summary>
/// Every pair of baseline and merged results, with and without a flaky retry, through the real comparison of two
/// KTAP runs, Readiness, and every rendering: they must all say the same thing about the one test.
/// </summary>
public class SelftestClassificationTableTests
{
    // R regression, A already failing, F fixed, U unstable, N neutral; "-" the test is in neither run.
    // Columns: the merged result       pass fail skip timeout missing xfail xpass error absent
    static readonly (string Baseline, string NotFlaky, string Flaky)[] Table =
    [
        ("pass",                         "N R R R N R R R N", "U U U U U U U U U"),
        ("fail",                         "F A N A N N A A N", "U U U U U U U U U"),
        ("skip",                         "N R N R N N R R N", "U U U U U U U U U"),
        ("timeout",                      "F A N A N N A A N", "U U U U U U U U U"),
        ("missing",                      "N N N N N N N N N", "U U U U U U U U U"),
        ("xfail",                        "N R N R N N R R N", "U U U U U U U U U"),
        ("xpass",                        "F A N A N N A A N", "U U U U U U U U U"),
        ("error",                        "F A N A N N A A N", "U U U U U U U U U"),
        ("absent",                       "N R N R N N R R -", "U U U U U U U U -"),
    ];

    static readonly string[] Columns = ["pass", "fail", "skip", "timeout", "missing", "xfail", "xpass", "error", "absent"];

    public static TheoryData<string, string, bool, string> Rows()
    {
        var rows = new TheoryData<string, string, bool, string>();
        foreach (var (baseline, notFlaky, flaky) in Table)
            foreach (var (codes, isFlaky) in new[] { (notFlaky, false), (flaky, true) })
            {
                var expected = codes.Split(' ');
                for (var i = 0; i < Columns.Length; i++) rows.Add(baseline, Columns[i], isFlaky, expected[i]);
            }
        return rows;
    }

    const string Name = "hmm.hmm_device_private.anon_read";

    static TestStatus Status(string word) => word switch
    {
        "pass" => TestStatus.Pass, "fail" => TestStatus.Fail, "skip" => TestStatus.Skip, "timeout" => TestStatus.Timeout,
        "missing" => TestStatus.Missing, "xfail" => TestStatus.XFail, "xpass" => TestStatus.XPass, "error" => TestStatus.Error,
        _ => throw new ArgumentException(word),
    };

    /// <summary>A finished hmm-tests run: the test under study (unless absent) next to one that always passes.</summary>
    static SelftestOutcome Run(string status)
    {
        KtapTest Leaf(string name, int number, TestStatus s) =>
            new("hmm_device_private." + name, number, s);
        var tests = new List<KtapTest> { Leaf("anon_write", 1, TestStatus.Pass) };
        if (status != "absent") tests.Add(Leaf("anon_read", 2, Status(status)));
        var suite = new KtapTest("hmm", 1, TestStatus.Pass) { Subtests = tests };
        return new SelftestOutcome(new KtapResult([suite]) { Complete = true }, StageStatus.Pass, null, TimeSpan.FromSeconds(6));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Every_baseline_and_merged_pair_is_classified_once_and_every_rendering_agrees(string baseline, string merged, bool flaky, string expected)
    {
        var compared = SelftestComparison.Compare(Run(merged), Run(baseline)).Where(t => t.Name == Name).ToList();
        if (expected == "-")
        {
            Assert.Empty(compared);
            return;
        }
        var test = Assert.Single(compared) with { Flaky = flaky };
        var report = ReadinessTests.Verified();
        var tree = report.Trees[0];
        tree.Selftests = new SelftestsReport { Status = StageStatus.Pass, Tests = [new("hmm.hmm_device_private.anon_write", TestStatus.Pass, TestStatus.Pass), test] };
        Readiness.Decide(report);

        var classification = expected switch
        {
            "R" => SelftestClass.Regression, "A" => SelftestClass.AlreadyFailing, "F" => SelftestClass.Fixed,
            "U" => SelftestClass.Unstable, _ => SelftestClass.Neutral,
        };
        Assert.Equal(classification, Readiness.Classify(test));
        var judged = ReportJson.Deserialize(ReportJson.Serialize(report)).Trees[0].Selftests.Tests.Single(t => t.Name == Name);
        Assert.Equal(classification, judged.Classification);

        var regression = classification == SelftestClass.Regression;
        Assert.Equal(regression ? Verdict.NotReady : Verdict.Ready, report.Verdict);
        Assert.Equal(regression ? Verdict.NotReady : Verdict.Ready, tree.Verdict);

        var view = ReportView.Of(report);
        var md = ReportTemplates.Render("report.md.sbn", view);
        var html = ReportTemplates.Render("report.html.sbn", view);
        // The mail wraps its prose at 75 columns.
        var mail = System.Text.RegularExpressions.Regex.Replace(ReportEmail.Body(view), @"\s+", " ");
        foreach (var (rendering, text) in new[] { ("report.md", md), ("report.html", WebUtility.HtmlDecode(html)), ("report.eml", mail) })
        {
            Assert.True(regression == text.Contains("rdma: 1 selftest regression", StringComparison.Ordinal) || rendering == "report.eml",
                $"{rendering}: the regression is {(regression ? "missing" : "shown but is none")}");
            Assert.True((classification == SelftestClass.Unstable) == text.Contains("failed once and passed when run again", StringComparison.Ordinal),
                $"{rendering}: the flaky test is {(classification == SelftestClass.Unstable ? "missing" : "shown but is none")}");
        }
        // The mail has no headings: its regression note starts with the lead.
        Assert.Equal(regression, mail.Contains("kernel fails this selftest", StringComparison.Ordinal));
        Assert.Equal(regression, md.Contains($"| `{Name}` |", StringComparison.Ordinal) && view.Problems.Any(p => p.Kind == "selftest-regression"));
        Assert.Equal(classification == SelftestClass.AlreadyFailing, md.Contains($"already failing on the baseline: {Name}", StringComparison.Ordinal));
        Assert.Equal(classification == SelftestClass.Fixed, md.Contains($"fixed by the topic (fail on the baseline, pass merged): {Name}", StringComparison.Ordinal));
        Assert.Equal(regression ? "1 regression" : null, view.Trees[0].Selftests.Text.Contains("regression") ? view.Trees[0].Selftests.Text.Split(", ")[^1] : null);

        Assert.Equal(regression ? Octokit.CheckConclusion.Failure : Octokit.CheckConclusion.Success, GitHubPublisher.Conclusion(view));
        Assert.Equal(regression, GitHubPublisher.Title(view).Contains("NOT ready", StringComparison.Ordinal));
        // A selftest has no file:line to annotate: no annotation may claim a failure the verdict does not have.
        Assert.DoesNotContain(view.Problems.SelectMany(p => p.Locations), l => l.Severity == "failure");
    }
}
