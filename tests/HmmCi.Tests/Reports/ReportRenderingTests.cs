using System.Text.Json;
using HmmCi.Config;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Tests.Reports;

public class ReportRenderingTests
{
    private static MergeReadinessReport Sample()
    {
        var report = new MergeReadinessReport
        {
            Topic = new TopicReport { Name = "hmm", Url = "/srv/hmm.git", Branch = "hmm", Head = new string('a', 40), Base = new string('b', 40) },
            Mainline = new MainlineReport { Url = "/srv/linux.git", Branch = "master", Head = new string('b', 40) },
        };
        var tree = new TreeReport { Name = "drm", Url = "/srv/drm.git", Branch = "drm-next", Head = new string('c', 40) };
        tree.Merge = new MergeReport
        {
            Status = MergeStatus.Conflict,
            Conflicts =
            [
                new ConflictReport
                {
                    Path = "mm/hmm.c", Kind = "content", Excerpt = "<<<<<<< drm\nint a;\n=======\nint b;\n>>>>>>> hmm",
                    TopicCommits = [new CommitRef(new string('1', 40), "mm/hmm: change <script>alert(1)</script>")],
                    TreeCommits = [new CommitRef(new string('2', 40), "drm/amdgpu: use hmm_range_fault()")],
                },
            ],
        };
        report.Trees.Add(tree);
        report.Checks.Add(new CheckFinding("signed-off-by", Severity.Error, new string('1', 40), "a | b"));
        report.Stages.Add(new StageReport("Merge", StageStatus.Pass, 12, null));
        Readiness.Decide(report);
        return report;
    }

    [Fact]
    public void Json_uses_the_documented_names_and_values()
    {
        var json = JsonDocument.Parse(ReportJson.Serialize(Sample())).RootElement;
        Assert.Equal("not-ready", json.GetProperty("verdict").GetString());
        var merge = json.GetProperty("trees")[0].GetProperty("merge");
        Assert.Equal("conflict", merge.GetProperty("status").GetString());
        Assert.Equal("mm/hmm.c", merge.GetProperty("conflicts")[0].GetProperty("path").GetString());
        Assert.Equal("skipped", json.GetProperty("trees")[0].GetProperty("build").GetProperty("status").GetString());
        Assert.Equal("error", json.GetProperty("checks")[0].GetProperty("severity").GetString());
        Assert.Equal(12, json.GetProperty("stages")[0].GetProperty("durationMs").GetInt64());
    }

    [Fact]
    public void Markdown_cites_conflicting_commits_as_linux_next_does()
    {
        var md = ReportTemplates.Render("report.md.sbn", Sample());
        Assert.Contains("# HmmCi: hmm is NOT ready to merge", md);
        Assert.Contains("got a conflict in `mm/hmm.c` between\ncommit 111111111111 (\"mm/hmm: change <script>alert(1)</script>\") from the hmm tree\nand\ncommit 222222222222 (\"drm/amdgpu: use hmm_range_fault()\") from the drm tree.", md);
        Assert.Contains("```diff\n<<<<<<< drm\nint a;", md);
        Assert.Contains("| signed-off-by | error | `111111111111` | a \\| b |", md);
        Assert.Contains("- tree drm: merge conflict in mm/hmm.c", md);
    }

    [Fact]
    public void A_conflict_excerpt_with_backticks_cannot_break_out_of_its_code_block()
    {
        var report = Sample();
        report.Trees[0].Merge.Conflicts[0] = new ConflictReport { Path = "Documentation/x.rst", Kind = "content", Excerpt = "<<<<<<< drm\n```\n# INJECTED\n````\n=======\n>>>>>>> hmm" };
        Readiness.Decide(report);
        var md = ReportTemplates.Render("report.md.sbn", report);
        Assert.Contains("`````diff\n<<<<<<< drm\n```\n# INJECTED\n````\n=======\n>>>>>>> hmm\n`````", md);
    }

    [Fact]
    public void A_conflict_in_thousands_of_paths_renders_every_path()
    {
        var report = Sample();
        report.Trees[0].Merge.Conflicts.AddRange(Enumerable.Range(0, 2500).Select(i => new ConflictReport { Path = $"drivers/f{i}.c", Kind = "content" }));
        Readiness.Decide(report);
        foreach (var template in new[] { "report.md.sbn", "report.html.sbn" })
            Assert.Contains("drivers/f2499.c", ReportTemplates.Render(template, report));
    }

    [Fact]
    public void Html_escapes_everything_taken_from_the_trees()
    {
        var html = ReportTemplates.Render("report.html.sbn", Sample());
        Assert.DoesNotContain("<script>", html);
        Assert.Contains("mm/hmm: change &lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("&lt;&lt;&lt;&lt;&lt;&lt;&lt; drm", html);
        Assert.Contains("<span class=\"s not-ready\">not-ready</span>", html);
    }

    [Fact]
    public void Nothing_is_ready_that_was_not_verified()
    {
        var report = Sample();
        report.Trees[0].Merge = new MergeReport { Status = MergeStatus.Clean, Tree = "t", Commit = "c" };
        report.Checks.Clear();
        report.Stages.Clear();
        report.Stages.AddRange(Readiness.VerifyingStages.Select(s => new StageReport(s, StageStatus.Pass, 1, null)));
        report.Trees[0].Build = new BuildReport { Status = StageStatus.Pass };
        report.Trees[0].Builds.Add(new BuildRecord { Kind = BuildKind.Merged, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Pass });
        report.Topic.Builds.Add(new BuildRecord { Kind = BuildKind.Topic, Config = "tinyconfig+hmm-selftests", Status = StageStatus.Pass });
        report.Trees[0].Selftests = new SelftestsReport { Status = StageStatus.Skipped, Reason = "--skip" };
        Readiness.Decide(report);
        Assert.Equal(Verdict.Incomplete, report.Verdict);
        Assert.Equal(["selftests: skipped (--skip)"], report.Trees[0].Reasons);

        report.Trees[0].Selftests = new SelftestsReport { Status = StageStatus.Pass };
        Readiness.Decide(report);
        Assert.Equal(Verdict.Ready, report.Verdict);
        Assert.Empty(report.Reasons);

        report.Stages.RemoveAll(s => s.Name == "Check");
        Readiness.Decide(report);
        Assert.Equal(["stage Check: did not run"], report.Reasons);
    }
}
