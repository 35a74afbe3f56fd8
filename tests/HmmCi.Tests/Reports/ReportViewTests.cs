using System.Text;
using HmmCi.Reports;
using HmmCi.Reports.Email;

namespace HmmCi.Tests.Reports;

/// <summary>report.md, report.html, report.eml and the check run all say the same things, from the one view.</summary>
public class ReportViewTests
{
    static readonly ReportView View = ReportView.Of(HandBuiltReports.Full());
    static readonly string Markdown = ReportTemplates.Render("report.md.sbn", View);
    static readonly string Html = ReportTemplates.Render("report.html.sbn", View);
    static readonly string Email = ReportEmail.Body(View);

    [Fact]
    public void Markdown_has_the_verdict_one_row_per_tree_and_a_section_per_problem()
    {
        Assert.StartsWith("# HmmCi: hmm is NOT ready to merge\n", Markdown);
        Assert.Contains("| tree | branch | head | merge | build | selftests | checks | verdict |", Markdown);
        Assert.Contains("| **drm** | `drm-next` | `fedcba987654` | clean | fail, 1 error, 1 new warning | skipped | 1 error | not-ready |", Markdown);
        Assert.Contains("| **rdma** | `for-next` | `111111111111` | conflict (1) | pass | fail, 1 regression | 1 error | not-ready |", Markdown);
        Assert.Contains("### drm: clean merge\nThe test merge is `dddddddddddd` (tree `eeeeeeeeeeee`) under `refs/hmmci/merged/drm`.", Markdown);
        Assert.Contains("### drm: x86_64 tinyconfig+hmm-selftests build failed\nAfter merging the hmm tree, the drm build (x86_64 tinyconfig+hmm-selftests) failed like this:\n\n```\n"
            + "drivers/gpu/drm/nouveau/nouveau_svm.c: In function 'nouveau_hmm_convert_pfn':\ndrivers/gpu/drm/nouveau/nouveau_svm.c:642:17: error:", Markdown);
        Assert.Contains("\n\n" + HandBuiltReports.CulpritSentence + "\n", Markdown);
        Assert.Contains("### drm: x86_64 tinyconfig+hmm-selftests build has new warnings", Markdown);
        Assert.Contains("### rdma: 1 selftest regression\nAfter merging the hmm tree, the rdma kernel fails this selftest, which passes on the rdma tree alone:\n\n| test | with hmm | rdma alone |", Markdown);
        Assert.Contains("| `hmm.hmm_device_private.migrate` | fail | pass |", Markdown);
        Assert.Contains("### rdma: 1 flaky selftest", Markdown);
        Assert.Contains("### rdma: WARNING in the merged kernel during hmm.hmm_device_private.migrate", Markdown);
        Assert.Contains("### rdma: conflict in `drivers/infiniband/core/umem_odp.c` (content)", Markdown);
        Assert.Contains("| signed-off-by | error | Commit 0123456789ab (\"mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()\") is missing a Signed-off-by from its committer |", Markdown);
    }

    [Fact]
    public void The_culprit_sentence_and_the_side_names_are_the_same_in_every_rendering()
    {
        Assert.Contains(HandBuiltReports.CulpritSentence, Markdown);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(HandBuiltReports.CulpritSentence).Replace("&#39;", "'"), Html.Replace("&#39;", "'"));
        Assert.Contains(HandBuiltReports.CulpritSentence.Replace("\n", " "), string.Join(" ", Email.Split('\n')));
        // The merge window so far is not a tree: no rendering says "the the merge window so far tree".
        foreach (var text in new[] { Markdown, Html, Email })
        {
            Assert.DoesNotContain("the the merge window so far", text);
            Assert.DoesNotContain("merge window so far tree", text);
        }
        Assert.Contains("from the merge window so far and", Markdown);
        Assert.Contains("(\"drm/nouveau: use the mapping order\") from the merge window so far and", Html.Replace("&quot;", "\""));
    }

    [Fact]
    public void Html_links_each_finding_to_its_commits_and_back()
    {
        foreach (var anchor in System.Text.RegularExpressions.Regex.Matches(Html, "href=\"#([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct())
            Assert.Contains($"id=\"{anchor}\"", Html);
        Assert.Contains("<li id=\"c-0123456789ab\"><code>0123456789ab</code>", Html);
        Assert.Contains("<a class=\"commit\" href=\"#c-0123456789ab\">", Html);
        Assert.Matches("<td class=\"s fail\"><a href=\"#p\\d+\">fail, 1 error, 1 new warning</a></td>", Html);
        Assert.Contains("<details><summary>the end of the build log</summary><pre>make[4]: *** [scripts/Makefile.build:250", Html);
        Assert.DoesNotContain("<script", Html);
        Assert.DoesNotContain("src=\"http", Html);
        Assert.DoesNotContain("href=\"http", Html);
    }

    [Fact]
    public void The_sample_reports_json_renders_in_every_format()
    {
        var view = ReportView.FromJson(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "Data", "sample-report.json")));
        var md = ReportTemplates.Render("report.md.sbn", view);
        Assert.Contains("| **drm** | `drm-next` |", md);
        Assert.Contains("| Check | pass |", md);
        Assert.Matches(@"\| Merge \| pass \| \d+ ms \|", md);
        Assert.Contains("drivers/gpu/drm/amd/amdgpu/amdgpu_mn.c", ReportTemplates.Render("report.html.sbn", view));
        Assert.Contains("Today's test merge of the hmm tree into the drm tree got a conflict in:", ReportEmail.Body(view));
    }

    [Fact]
    public void A_summary_over_the_limit_loses_details_first_never_the_table_and_says_so()
    {
        var report = HandBuiltReports.Full();
        var rdma = report.Trees.Single(t => t.Name == "rdma");
        var excerpt = string.Concat(Enumerable.Repeat("<<<<<<< rdma\n" + new string('x', 500) + "\n=======\n>>>>>>> hmm\n", 4));
        rdma.Merge = new MergeReport { Status = MergeStatus.Conflict, Conflicts = Enumerable.Range(0, 3000).Select(i => new ConflictReport { Path = $"drivers/f{i}.c", Kind = "content", Excerpt = excerpt }).ToList() };
        Readiness.Decide(report);
        var view = ReportView.Of(report);
        Assert.True(Encoding.UTF8.GetByteCount(ReportTemplates.Render("report.md.sbn", view)) > ReportWriter.StepSummaryLimit);

        var summary = SizedMarkdown.Render(view, ReportWriter.StepSummaryLimit, s => Encoding.UTF8.GetByteCount(s), "bytes");
        Assert.True(Encoding.UTF8.GetByteCount(summary) <= ReportWriter.StepSummaryLimit);
        Assert.Contains("| **rdma** | `for-next` | `111111111111` | conflict (3000) |", summary);
        Assert.Contains("> **Trimmed:** conflict hunks, compiler output, console lines and logs are left out to stay under GitHub's limit of 1,048,576 bytes", summary);
        Assert.Contains("### rdma: conflict in `drivers/f2999.c` (content)", summary);
        Assert.DoesNotContain("xxxxxxxxxx", summary);

        var checkRun = SizedMarkdown.Render(view, 65535, s => s.Length, "characters");
        Assert.True(checkRun.Length <= 65535);
        Assert.Contains("| **rdma** | `for-next` | `111111111111` | conflict (3000) |", checkRun);
        Assert.Contains("GitHub's limit of 65,535 characters", checkRun);
    }
}
