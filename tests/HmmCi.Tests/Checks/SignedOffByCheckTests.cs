using HmmCi.Tests.Fixtures;
using static HmmCi.Tests.Checks.CheckRun;

namespace HmmCi.Tests.Checks;

public class SignedOffByCheckTests
{
    [Fact]
    public void A_commit_without_any_signoff_misses_both_author_and_committer_in_linux_next_words()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var c = s.Upstream.Commit("mm/hmm: drop a check\n\nNo sign-off here.\n", "mm/hmm.c", "int a;\n");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([
            new Finding("signed-off-by", "error", c, $"Commit {Short(c)} (\"mm/hmm: drop a check\") is missing a Signed-off-by from its author and committer (Alice Author <alice@example.org>)"),
        ], run.Findings.Where(f => f.Check == "signed-off-by"));
        Assert.Equal("not-ready", run.Report.GetProperty("verdict").GetString());
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_commit_applied_by_someone_who_did_not_sign_off_misses_the_committer_only()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var c = s.Upstream.Commit($"mm/hmm: fix\n\n{Sob()}\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int b;\n" },
            committer: "Jason Gunthorpe <jgg@example.org>");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([$"Commit {Short(c)} (\"mm/hmm: fix\") is missing a Signed-off-by from its committer (Jason Gunthorpe <jgg@example.org>)"], run.Messages("signed-off-by"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_signoff_without_an_email_does_not_count_and_one_message_names_both_people()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var nameOnly = s.Upstream.Commit("mm/hmm: name only\n\nSigned-off-by: Alice Author\n", "mm/hmm.c", "int a;\n");
        var both = s.Upstream.Commit("mm/hmm: applied by another\n\nSigned-off-by: Alice Author\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int b;\n" },
            committer: "Jason Gunthorpe <jgg@example.org>");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([
            $"Commit {Short(nameOnly)} (\"mm/hmm: name only\") is missing a Signed-off-by from its author and committer (Alice Author <alice@example.org>)",
            $"Commit {Short(both)} (\"mm/hmm: applied by another\") is missing a Signed-off-by from its author and committer (author Alice Author <alice@example.org>, committer Jason Gunthorpe <jgg@example.org>)",
        ], run.Messages("signed-off-by"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void The_topic_heads_mailmap_maps_an_old_address_to_the_one_the_signoff_uses()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit($"mailmap: add Ralph\n\n{Sob()}\n", ".mailmap", "Ralph Campbell <ralph@new.example.org> <rc@old.example.org>\n");
        // Recorded under an old name and address; the sign-off uses what .mailmap maps them to.
        s.Upstream.Commit("mm/hmm: mapped\n\nSigned-off-by: Ralph Campbell <ralph@new.example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int a;\n" },
            author: "R. Campbell <rc@old.example.org>");
        var unmapped = s.Upstream.Commit("mm/hmm: not mapped\n\nSigned-off-by: Ralph Campbell <ralph@new.example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int b;\n" },
            author: "Rob Other <rob@old.example.org>");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([$"Commit {Short(unmapped)} (\"mm/hmm: not mapped\") is missing a Signed-off-by from its author and committer (Rob Other <rob@old.example.org>)"],
            run.Messages("signed-off-by"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void Signoffs_match_on_name_or_email_case_insensitively_with_crlf_and_non_ascii_names()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        // Email matches though the name differs; CRLF line ends; a Co-developed-by with its own sign-off.
        s.Upstream.Commit("mm/hmm: one\r\n\r\nBody.\r\n\r\nCo-developed-by: Ralph Campbell <rcampbell@example.org>\r\nSigned-off-by: Ralph Campbell <rcampbell@example.org>\r\nSigned-off-by: A. Author <ALICE@EXAMPLE.ORG>\r\n",
            "mm/hmm.c", "int c;\n");
        // Non-ASCII name matched by name alone (a different address), "Last, First" author.
        s.Upstream.Commit("mm/hmm: two\n\nLink: https://lore.kernel.org/r/1\nCc: stable@vger.kernel.org # 5.4+\nSigned-off-by: jérôme glisse <jglisse@redhat.com>\n",
            new Dictionary<string, string?> { ["mm/hmm.c"] = "int d;\n" }, author: "Jérôme Glisse <jerome@example.org>");
        // "Last, First" is not "First Last" to linux-next, which then asks for the author's sign-off.
        var reversed = s.Upstream.Commit("mm/hmm: three\n\nSigned-off-by: Jason Gunthorpe <jgg@example.org>\n",
            new Dictionary<string, string?> { ["mm/hmm.c"] = "int e;\n" }, author: "Gunthorpe, Jason <jgg@nvidia.example>");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([$"Commit {Short(reversed)} (\"mm/hmm: three\") is missing a Signed-off-by from its author and committer (Gunthorpe, Jason <jgg@nvidia.example>)"],
            run.Messages("signed-off-by"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_signoff_whose_name_matches_counts_though_its_address_is_mangled_as_in_check_commits()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        const string thor = "A U Thor <author@example.org>";
        s.Upstream.Commit("mailmap: add A U Thor\n\nSigned-off-by: A U Thor <author@example.org>\n", new Dictionary<string, string?> { [".mailmap"] = "A U Thor <author@example.org> <old@example.org>\n" }, author: thor);
        // The two forms found in public kernel-style histories: an obfuscated address, a blank after '<'.
        s.Upstream.Commit("mm/hmm: obfuscated\n\nSigned-off-by: A U Thor <author _at_ example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int a;\n" }, author: thor);
        s.Upstream.Commit("mm/hmm: blank after bracket\n\nSigned-off-by: A U Thor < author@example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int b;\n" }, author: thor);
        // The committer's sign-off counts the same way.
        s.Upstream.Commit("mm/hmm: applied\n\nSigned-off-by: A U Thor <author@example.org>\nSigned-off-by Cee Committer <cee at example dot org>\n",
            new Dictionary<string, string?> { ["mm/hmm.c"] = "int c;\n" }, author: thor, committer: "Cee Committer <cee@example.org>");
        // Recorded under an old address: the .mailmap name is the one signed with.
        s.Upstream.Commit("mm/hmm: mapped\n\nSigned-off-by: A U Thor <author _at_ example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int d;\n" }, author: "A. Thor <old@example.org>");
        // What check_commits still rejects: the name must stand alone, followed by a blank; a mangled address is not the address.
        var prefix = s.Upstream.Commit("mm/hmm: prefix\n\nSigned-off-by: A U Tho <author _at_ example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int e;\n" }, author: thor);
        var glued = s.Upstream.Commit("mm/hmm: glued\n\nSigned-off-by: XA U Thor <author _at_ example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int f;\n" }, author: thor);
        var otherName = s.Upstream.Commit("mm/hmm: other name\n\nSigned-off-by: Someone Else <author _at_ example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int g;\n" }, author: thor);
        var nameLast = s.Upstream.Commit("mm/hmm: name last\n\nSigned-off-by: <author _at_ example.org> A U Thor\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int h;\n" }, author: thor);
        var notSignoff = s.Upstream.Commit("mm/hmm: reviewed only\n\nReviewed-by: A U Thor <author@example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int i;\n" }, author: thor);
        var unmapped = s.Upstream.Commit("mm/hmm: unmapped\n\nSigned-off-by: A U Thor <author _at_ example.org>\n", new Dictionary<string, string?> { ["mm/hmm.c"] = "int j;\n" }, author: "A. Thor <older@example.org>");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([
            $"Commit {Short(prefix)} (\"mm/hmm: prefix\") is missing a Signed-off-by from its author and committer ({thor})",
            $"Commit {Short(glued)} (\"mm/hmm: glued\") is missing a Signed-off-by from its author and committer ({thor})",
            $"Commit {Short(otherName)} (\"mm/hmm: other name\") is missing a Signed-off-by from its author and committer ({thor})",
            $"Commit {Short(nameLast)} (\"mm/hmm: name last\") is missing a Signed-off-by from its author and committer ({thor})",
            $"Commit {Short(notSignoff)} (\"mm/hmm: reviewed only\") is missing a Signed-off-by from its author and committer ({thor})",
            $"Commit {Short(unmapped)} (\"mm/hmm: unmapped\") is missing a Signed-off-by from its author and committer (A. Thor <older@example.org>)",
        ], run.Messages("signed-off-by"));
        LinuxNextComparison.AssertSameAsLinuxNext(s, run);
    }

    [Fact]
    public void A_co_developer_without_a_signoff_is_reported()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        var c = s.Upstream.Commit($"mm/hmm: co\n\nCo-developed-by: Ralph Campbell <rcampbell@example.org>\n{Sob()}\n", "mm/hmm.c", "int f;\n");

        var run = Execute(s, [("rdma", "master")]);

        Assert.Equal([$"Commit {Short(c)} (\"mm/hmm: co\") has a Co-developed-by from Ralph Campbell <rcampbell@example.org> without a Signed-off-by from them"],
            run.Messages("signed-off-by"));
    }

    [Fact]
    public void A_commit_with_an_empty_message_is_reported_not_crashed_on()
    {
        using var s = new TopicScenario();
        s.Branch("hmm");
        s.Upstream.Commit("placeholder", "mm/hmm.c", "int g;\n");
        s.Upstream.Git("commit", "-q", "--amend", "--allow-empty-message", "-m", "");
        var c = s.Upstream.Head;

        var run = Execute(s, [("rdma", "master")]);

        Assert.Contains($"Commit {Short(c)} (\"\") is missing a Signed-off-by from its author and committer (author Alice Author <alice@example.org>, committer Test Runner <runner@example.org>)", run.Messages("signed-off-by"));
    }
}
