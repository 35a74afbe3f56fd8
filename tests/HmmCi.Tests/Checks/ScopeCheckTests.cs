using HmmCi.Tests.Fixtures;
using static HmmCi.Tests.Checks.CheckRun;

namespace HmmCi.Tests.Checks;

public class ScopeCheckTests
{
    private const string Scope = "checks:\n  scope: [mm/hmm.c, include/linux/hmm.h, lib/test_hmm*, tools/testing/selftests/*/hmm*]\n";

    private const string MaintainersFile = """
        List of maintainers and how to submit kernel changes

        	M: *Mail* patches to: FullName <address@domain>

        HMM - Heterogeneous Memory Management
        M:	Jérôme Glisse <jglisse@redhat.com>
        L:	linux-mm@kvack.org
        F:	mm/hmm*

        MEMORY MANAGEMENT
        M:	Andrew Morton <akpm@linux-foundation.org>
        L:	linux-mm@kvack.org
        F:	include/linux/mm.h
        F:	mm/
        X:	mm/secret.c

        INFINIBAND SUBSYSTEM
        M:	Jason Gunthorpe <jgg@nvidia.com>
        M:	Leon Romanovsky <leonro@nvidia.com>
        R:	Rita Reviewer <rita@example.org>
        L:	linux-rdma@vger.kernel.org
        F:	drivers/infiniband/

        NOUVEAU
        M:	Ben Skeggs <bskeggs@redhat.com>
        R:	Lyude Paul <lyude@redhat.com>
        F:	drivers/gpu/drm/nouveau/

        THE REST
        M:	Linus Torvalds <torvalds@linux-foundation.org>
        F:	*
        F:	*/

        """;

    [Fact]
    public void Out_of_scope_files_are_listed_and_each_other_subsystem_needs_an_ack_from_its_maintainers()
    {
        using var s = new TopicScenario();
        s.Upstream.Checkout("master");
        s.Upstream.Commit("MAINTAINERS", "MAINTAINERS", MaintainersFile);
        s.Upstream.Git("tag", "-a", "v6.2-rc1", "-m", "Linux 6.2-rc1");
        s.Branch("hmm", "v6.2-rc1");
        s.Upstream.Commit($"mm/hmm: in scope\n\n{Sob()}\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "1\n", ["tools/testing/selftests/vm/hmm-tests.c"] = "t\n" });
        var both = s.Upstream.Commit($"mm/hmm: touch mm and nouveau\n\nAcked-by: andrew morton <AKPM@linux-foundation.org>\n{Sob()}\n",
            new Dictionary<string, string?> { ["mm/memory.c"] = "m\n", ["drivers/gpu/drm/nouveau/nouveau_svm.c"] = "n\n", ["mm/secret.c"] = "s\n", ["README"] = "r\n" });
        var reviewed = s.Upstream.Commit($"nouveau: use hmm\n\nReviewed-by: Lyude Paul <lyude@redhat.com>\n{Sob()}\n",
            new Dictionary<string, string?> { ["drivers/gpu/drm/nouveau/nouveau_dmem.c"] = "d\n" });

        var run = Execute(s, [("rdma", "v6.2-rc1")], Scope);

        Assert.Equal([
            $"Commit {Short(both)} (\"mm/hmm: touch mm and nouveau\") touches files outside the hmm topic's scope: README, drivers/gpu/drm/nouveau/nouveau_svm.c, mm/memory.c, mm/secret.c",
            $"Commit {Short(both)} (\"mm/hmm: touch mm and nouveau\") touches NOUVEAU (drivers/gpu/drm/nouveau/nouveau_svm.c) without an Acked-by or Reviewed-by from its maintainers or reviewers, or a Signed-off-by from its maintainers: Ben Skeggs <bskeggs@redhat.com>, Lyude Paul <lyude@redhat.com>",
            $"Commit {Short(reviewed)} (\"nouveau: use hmm\") touches files outside the hmm topic's scope: drivers/gpu/drm/nouveau/nouveau_dmem.c",
        ], run.Messages("scope"));
        Assert.All(run.Findings, f => Assert.Equal("warning", f.Severity));
    }

    [Fact]
    public void Paths_git_would_quote_are_matched_as_they_are_named()
    {
        using var s = new TopicScenario();
        s.Upstream.Checkout("master");
        s.Upstream.Commit("MAINTAINERS", "MAINTAINERS", MaintainersFile);
        s.Upstream.Git("tag", "-a", "v6.2-rc1", "-m", "Linux 6.2-rc1");
        s.Branch("hmm", "v6.2-rc1");
        var quoted = s.Upstream.Commit($"lib/test_hmm: odd names\n\n{Sob()}\n",
            new Dictionary<string, string?> { ["lib/test_hmm \"q\".c"] = "1\n", ["mm/a\\b.c"] = "2\n" });

        var run = Execute(s, [("rdma", "v6.2-rc1")], Scope);

        Assert.Equal([$"Commit {Short(quoted)} (\"lib/test_hmm: odd names\") touches files outside the hmm topic's scope: mm/a\\b.c"],
            run.Messages("scope").Where(m => m.Contains("outside", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_signed_off_by_from_a_maintainer_of_the_section_counts_but_one_from_a_reviewer_does_not()
    {
        using var s = new TopicScenario();
        s.Upstream.Checkout("master");
        s.Upstream.Commit("MAINTAINERS", "MAINTAINERS", MaintainersFile);
        s.Upstream.Git("tag", "-a", "v6.2-rc1", "-m", "Linux 6.2-rc1");
        s.Branch("hmm", "v6.2-rc1");
        // As on the real hmm tree: the RDMA maintainer applies an ODP change and signs it off.
        const string jason = "Jason Gunthorpe <jgg@nvidia.com>";
        var applied = s.Upstream.Commit($"RDMA/odp: use hmm_range_fault()\n\n{Sob()}\n{Sob(jason)}\n",
            new Dictionary<string, string?> { ["drivers/infiniband/core/umem_odp.c"] = "odp\n" }, committer: jason);
        // A reviewer's sign-off is not a maintainer's.
        var byReviewer = s.Upstream.Commit($"RDMA/odp: tidy\n\n{Sob()}\n{Sob("Rita Reviewer <rita@example.org>")}\n",
            new Dictionary<string, string?> { ["drivers/infiniband/core/umem.c"] = "umem\n" });

        var run = Execute(s, [("rdma", "v6.2-rc1")], Scope);

        Assert.Equal([
            $"Commit {Short(applied)} (\"RDMA/odp: use hmm_range_fault()\") touches files outside the hmm topic's scope: drivers/infiniband/core/umem_odp.c",
            $"Commit {Short(byReviewer)} (\"RDMA/odp: tidy\") touches files outside the hmm topic's scope: drivers/infiniband/core/umem.c",
            $"Commit {Short(byReviewer)} (\"RDMA/odp: tidy\") touches INFINIBAND SUBSYSTEM (drivers/infiniband/core/umem.c) without an Acked-by or Reviewed-by from its maintainers or reviewers, or a Signed-off-by from its maintainers: Jason Gunthorpe <jgg@nvidia.com>, Leon Romanovsky <leonro@nvidia.com>, Rita Reviewer <rita@example.org>",
        ], run.Messages("scope"));
    }

    [Theory]
    [InlineData(null, "scope: skipped: MAINTAINERS not found in the hmm topic's head, so no subsystem acks were checked")]
    [InlineData("N:\t(unclosed\n", "scope: skipped: MAINTAINERS:1: 'N:' entry before any section title, so no subsystem acks were checked")]
    [InlineData("JUNK\nN:\t(unclosed\n", "scope: skipped: MAINTAINERS:2: N: pattern '(unclosed' is not a valid regular expression (Invalid pattern '(unclosed' at offset 9. Not enough )'s.), so no subsystem acks were checked")]
    public void An_absent_or_malformed_maintainers_file_skips_the_ack_part_with_a_reason(string? maintainers, string expected)
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        if (maintainers is not null) s.Upstream.Commit($"MAINTAINERS\n\n{Sob()}\n", "MAINTAINERS", maintainers);
        var c = s.Upstream.Commit($"mm: outside\n\n{Sob()}\n", "mm/memory.c", "m\n");

        var run = Execute(s, [("rdma", "master")], Scope);

        Assert.Contains(expected, run.Messages("scope"));
        Assert.Contains($"Commit {Short(c)} (\"mm: outside\") touches files outside the hmm topic's scope: mm/memory.c", run.Messages("scope"));
    }

    [Fact]
    public void Without_scope_globs_the_rule_says_it_skipped()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mm: anything\n\n{Sob()}\n", "mm/memory.c", "m\n");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([new Finding("scope", "warning", null, "scope: skipped: no scope globs configured (checks.scope in hmmci.yml)")], run.Findings);
    }
}
