using HmmCi.Reports;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Reports;

public class RequestPullTests
{
    [Fact]
    public async Task A_recorded_resolution_is_shown_to_linus_as_the_diff_from_the_conflict_to_the_resolution()
    {
        using var dir = new TempDirectory();
        dir.WriteFile("resolutions/drm/preimage/mm/hmm.c", "int f(void)\n{\n<<<<<<< drm\n\treturn -EAGAIN;\n=======\n\treturn -EBUSY;\n>>>>>>> hmm\n}\n");
        dir.WriteFile("resolutions/drm/postimage/mm/hmm.c", "int f(void)\n{\n\treturn -EBUSY;\n}\n");
        var report = HandBuiltReports.Full();
        var drm = report.Trees.Single(t => t.Name == "drm");
        drm.Merge = new MergeReport
        {
            Status = MergeStatus.Resolved, Resolution = "resolutions/drm", Commit = new string('d', 40),
            Conflicts = [new ConflictReport { Path = "mm/hmm.c", Kind = "content", Resolution = ResolutionStatus.Applied, TopicCommits = [HandBuiltReports.TopicCommit], TreeCommits = [HandBuiltReports.DrmCommit] }],
        };
        report.MergeWindow = new MergeWindowReport
        {
            Status = MergeStatus.Resolved,
            Steps = [new MergeWindowStep("mainline", new string('b', 40), MergeStatus.Clean, null), new MergeWindowStep("hmm", HandBuiltReports.TopicCommit.Sha, MergeStatus.Clean, null),
                new MergeWindowStep("drm", HandBuiltReports.DrmCommit.Sha, MergeStatus.Resolved, "resolved with the recorded resolution in resolutions/drm")],
        };

        var section = await new RequestPull(dir.Combine("store.git"), dir.Combine("resolutions")).ConflictsAsync(report);

        Assert.Equal("""

            ----------------------------------------------------------------
            Conflicts with the downstream trees

            The drm tree conflicts with this in mm/hmm.c. It is resolved as recorded
            in resolutions/drm:

            Commit from the hmm tree:
              0123456789ab ("mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()")

            Commit from the drm tree:
              fedcba987654 ("drm/nouveau: use the mapping order")

            --- a/mm/hmm.c (conflict)
            +++ b/mm/hmm.c (resolved)
            @@ -1,8 +1,4 @@
             int f(void)
             {
            -<<<<<<< drm
            -	return -EAGAIN;
            -=======
             	return -EBUSY;
            ->>>>>>> hmm
             }

            """.Replace("\r", ""), section);
    }

    [Fact]
    public async Task Without_conflicts_the_section_says_the_trees_merged_cleanly_on_mainline()
    {
        var report = HandBuiltReports.Full();
        report.MergeWindow = new MergeWindowReport { Status = MergeStatus.Clean, Steps = [new MergeWindowStep("mainline", new string('b', 40), MergeStatus.Clean, null)] };
        var section = await new RequestPull("/nonexistent", "/nonexistent").ConflictsAsync(report);
        Assert.EndsWith("Conflicts with the downstream trees\n\nI merged this with the drm and rdma trees as you will pull them (on\nbbbbbbbbbbbb) and there were no conflicts.\n", section);
    }
}
