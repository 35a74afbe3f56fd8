using HmmCi.Checks;

namespace HmmCi.Tests.Checks;

public class CommitMessageTests
{
    // Shaped like a real kernel message: wrapped subject, prose, a stack trace, notes between trailers.
    private const string Kernel = """
        mm/hmm: fix the range
         walk

        The walk stopped early. Call trace:
          hmm_range_fault+0x1c/0x30
        RIP: 0010:hmm_vma_walk_pmd

        Fixes: 0123456789ab ("mm/hmm: add the walk")
        Link: https://lore.kernel.org/r/20190806160554.14046-1-hch@lst.de
        Cc: stable@vger.kernel.org # 5.2+
        Co-developed-by: Ralph Campbell <rcampbell@nvidia.com>
        Signed-off-by: Ralph Campbell <rcampbell@nvidia.com>
        Signed-off-by: Christoph Hellwig <hch@lst.de>
        [jgg: folded a fix,
         and reworded]
        Reviewed-by: "Glisse, Jérôme" <jglisse@redhat.com>
        Signed-off-by: Jason Gunthorpe <jgg@mellanox.com>
        """;

    [Fact]
    public void Trailers_are_read_from_the_body_with_multiple_signoffs_in_order()
    {
        var message = CommitMessage.Parse(Kernel);
        Assert.Equal("mm/hmm: fix the range walk", message.Subject);
        Assert.Equal(["Ralph Campbell <rcampbell@nvidia.com>", "Christoph Hellwig <hch@lst.de>", "Jason Gunthorpe <jgg@mellanox.com>"],
            message.Find("signed-off-by").Select(t => t.Value));
        Assert.Equal("https://lore.kernel.org/r/20190806160554.14046-1-hch@lst.de", message.Find("Link").Single().Value);
        Assert.Equal("stable@vger.kernel.org", Person.Parse(message.Find("Cc").Single().Value).Email);
        Assert.Equal(8, message.Find("Fixes").Single().Line);
    }

    [Fact]
    public void Crlf_lines_are_read_like_lf_ones_and_an_indented_line_never_folds_into_the_trailer_above()
    {
        var message = CommitMessage.Parse("subject\r\n\r\nbody\r\n\r\nLink: https://example.org/a\r\n  /continued\r\nSigned-off-by: A <a@b>\r\n");
        Assert.Equal("subject", message.Subject);
        Assert.Equal("https://example.org/a", message.Find("Link").Single().Value);
        Assert.Equal("A <a@b>", message.Find("Signed-off-by").Single().Value);
        Assert.Equal(["body", "", "Link: https://example.org/a", "  /continued", "Signed-off-by: A <a@b>", ""], message.Body);
    }

    [Fact]
    public void An_empty_message_has_an_empty_subject_and_no_trailers()
    {
        var message = CommitMessage.Parse("");
        Assert.Equal("", message.Subject);
        Assert.Empty(message.Trailers);
    }

    [Theory]
    [InlineData("Jérôme Glisse <jglisse@redhat.com>", "Jérôme Glisse", "jglisse@redhat.com")]
    [InlineData("\"Glisse, Jérôme\" <jglisse@redhat.com>", "Glisse, Jérôme", "jglisse@redhat.com")]
    [InlineData("stable@vger.kernel.org # 5.2+", "", "stable@vger.kernel.org")]
    [InlineData("Linus Torvalds", "Linus Torvalds", "")]
    public void People_are_split_into_name_and_email(string value, string name, string email) =>
        Assert.Equal(new Person(name, email), Person.Parse(value));

    [Theory]
    [InlineData("Jérôme Glisse <a@x>", "JÉRÔME GLISSE <b@y>", true)]          // name, any case, non-ASCII
    [InlineData("Someone <JGG@Mellanox.com>", "Jason <jgg@mellanox.com>", true)] // email, any case
    [InlineData("Glisse, Jérôme <a@x>", "Jérôme Glisse <b@y>", true)]          // "Last, First"
    [InlineData("Je\u0301ro\u0302me Glisse <a@x>", "Jérôme Glisse <b@y>", true)] // NFD against NFC
    [InlineData("Alice <a@x>", "Bob <b@y>", false)]
    public void People_match_on_name_or_email(string a, string b, bool same) =>
        Assert.Equal(same, Person.Parse(a).SameAs(Person.Parse(b)));
}

public class FixesTagTests
{
    [Fact]
    public void A_well_formed_tag_has_no_problems()
    {
        var tag = FixesTag.Parse("Fixes: 0123456789ab (\"mm/hmm: add the walk\")");
        Assert.Equal(("0123456789ab", "mm/hmm: add the walk"), (tag.Sha, tag.Subject));
        Assert.Empty(tag.Leading.Concat(tag.Shape));
    }

    [Theory]
    [InlineData("0123456789ab (\u201Cx\u201D)", new string[0])]
    [InlineData("0123456789ab (\u2018x\u2019)", new string[0])]
    [InlineData("commit 0123456789ab (\"x\")", new[] { "leading word 'commit' unexpected" })]
    [InlineData("Commit 0123456789ab (\"x\")", new[] { "leading word 'Commit' unexpected" })]
    [InlineData("01234567 (\"x\")", new[] { FixesTag.ShortSha })]
    [InlineData("0123456789ab(\"x\")", new[] { FixesTag.MissingSpace })]
    [InlineData("0123456789ab", new[] { FixesTag.MissingSubject })]
    [InlineData("0123456789ab (\"x", new[] { FixesTag.NoTrailingParenthesis, FixesTag.NoTrailingQuote })]
    [InlineData("0123456789ab (\"x\")", new string[0])]
    [InlineData("https://bugzilla.kernel.org/1", new[] { FixesTag.NoSha })]
    [InlineData(" - http://example.org/bug", new[] { FixesTag.NoSha })]
    public void Malformed_tags_get_check_fixes_problems_in_its_order(string value, string[] problems) =>
        Assert.Equal(problems, FixesTag.Parse($"Fixes: {value}").Leading.Concat(FixesTag.Parse($"Fixes: {value}").Shape));

    [Fact]
    public void The_line_is_read_alone_and_trimmed_as_check_fixes_reads_it()
    {
        var tag = FixesTag.Parse("  fixes:   0123456789ab (\"mm/hmm: a subject that was");
        Assert.Equal("fixes:   0123456789ab (\"mm/hmm: a subject that was", tag.Line);
        Assert.Equal("mm/hmm: a subject that was", tag.Subject);
        Assert.Equal([FixesTag.NoTrailingParenthesis, FixesTag.NoTrailingQuote], tag.Shape);
        Assert.True(FixesTag.IsFixesLine("\tFIXES: x"));
        Assert.False(FixesTag.IsFixesLine("Not-Fixes: x"));
    }

    [Theory]
    [InlineData("mm/hmm: add the walk", "mm/hmm: add the walk", true)]
    [InlineData("mm/hmm: add", "mm/hmm: add the walk", true)]                 // a prefix, as check_fixes compares
    [InlineData("mm/hmm:  add the   walk", "mm/hmm: add the walk", false)]    // inner spaces are not squeezed
    [InlineData("mm/hmm: add the...", "mm/hmm: add the walk", true)]
    [InlineData("...the walk", "mm/hmm: add the walk", true)]
    [InlineData("mm/hmm: ... walk", "mm/hmm: add the walk", true)]
    [InlineData("mm/hmm: ... talk", "mm/hmm: add the walk", false)]
    [InlineData("mm/hmm: add a walk", "mm/hmm: add the walk", false)]
    public void Subjects_compare_as_check_fixes_does(string tag, string target, bool matches) =>
        Assert.Equal(matches, FixesTag.SubjectMatches(tag, target));
}

public class TopicMergeMessageTests
{
    private const string Url = "https://git.example.org/pub/scm/linux/kernel/git/topic/hmm.git";

    [Theory]
    [InlineData("Merge branch 'hmm' of git://git.example.org/pub/scm/linux/kernel/git/topic/hmm", true)]
    [InlineData("Merge branch 'hmm' of ssh://git@git.example.org:22/pub/scm/linux/kernel/git/topic/hmm.git into for-next", true)]
    [InlineData("Merge branch 'hmm' of git@git.example.org:pub/scm/linux/kernel/git/topic/hmm.git", true)]
    [InlineData("Merge tag 'hmm-for-6.2' of https://git.example.org/pub/scm/linux/kernel/git/topic/hmm.git/", true)]
    [InlineData("Merge branch 'hmm'", true)]
    [InlineData("Merge branch 'hmm' into drm-next", true)]
    [InlineData("Merge remote-tracking branch 'hmm-tree/hmm'", true)]
    [InlineData("Merge remote-tracking branch 'hmm-tree/hmm' into for-next", true)]
    [InlineData("Merge branch 'hmm' of https://git.example.org/other.git", false)]
    [InlineData("Merge branch 'hmm-old' of https://git.example.org/pub/scm/linux/kernel/git/topic/hmm.git", false)]
    [InlineData("Merge tag 'hmm-for-6.2'", false)]
    [InlineData("Merge branch 'master'", false)]
    [InlineData("Merge pull request #12 from someone/hmm", false)]
    [InlineData("Merge remote-tracking branch 'origin/hmm-next'", false)]
    public void Only_merges_that_name_the_topic_as_git_writes_them_count(string subject, bool names) =>
        Assert.Equal(names, TopicMergeMessage.NamesTopic(subject, Url, "hmm", "hmm"));
}

public class MaintainersTests
{
    private static readonly string Excerpt = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Checks", "Data", "MAINTAINERS.excerpt"));
    private static readonly HashSet<string> Directories = ["mm", "drivers", "drivers/infiniband", "drivers/gpu/drm/nouveau", "tools/testing/selftests/vm"];

    private static IEnumerable<string> Titles(string path) =>
        Maintainers.Parse(Excerpt, Directories.Contains).SectionsFor(path).Select(s => s.Title);

    [Fact]
    public void The_real_file_excerpt_parses_into_its_sections_with_people()
    {
        var maintainers = Maintainers.Parse(Excerpt, Directories.Contains);
        Assert.Equal(["ABI/API", "ARM/Allwinner sunXi SoC support", "DRM DRIVER FOR NVIDIA GEFORCE/QUADRO GPUS", "HMM - Heterogeneous Memory Management",
            "INFINIBAND SUBSYSTEM", "MEMORY MANAGEMENT", "THE REST"], maintainers.Sections.Select(s => s.Title));
        Assert.Equal([new Person("Jérôme Glisse", "jglisse@redhat.com")], maintainers.Sections[3].People);
        Assert.Equal([new Person("Jason Gunthorpe", "jgg@nvidia.com"), new Person("Leon Romanovsky", "leonro@nvidia.com")], maintainers.Sections[4].MaintainerPeople);
    }

    [Theory]
    [InlineData("mm/hmm.c", new[] { "HMM - Heterogeneous Memory Management", "MEMORY MANAGEMENT", "THE REST" })]
    [InlineData("include/linux/hmm.h", new[] { "HMM - Heterogeneous Memory Management", "THE REST" })]
    [InlineData("tools/testing/selftests/vm/hmm-tests.c", new[] { "HMM - Heterogeneous Memory Management", "MEMORY MANAGEMENT", "THE REST" })]
    [InlineData("drivers/infiniband/core/umem_odp.c", new[] { "INFINIBAND SUBSYSTEM", "THE REST" })]
    [InlineData("drivers/gpu/drm/nouveau/nouveau_svm.c", new[] { "DRM DRIVER FOR NVIDIA GEFORCE/QUADRO GPUS", "THE REST" })]
    [InlineData("include/linux/syscalls.h", new[] { "ABI/API", "THE REST" })]
    [InlineData("arch/arm/boot/dts/sun8i-h3.dtsi", new[] { "ARM/Allwinner sunXi SoC support", "THE REST" })]
    [InlineData("Makefile", new[] { "THE REST" })]
    public void Paths_map_to_sections_as_get_maintainer_pl_maps_them(string path, string[] titles) =>
        Assert.Equal(titles, Titles(path));

    [Fact]
    public void File_patterns_follow_get_maintainer_pl_on_slashes_directories_and_excludes()
    {
        var text = "A\nM:\tA <a@x>\nF:\tdrivers/*/foo.c\nF:\tmm\nX:\tmm/secret.c\n\nB\nM:\tB <b@x>\nN:\tgpu.*nv\n";
        var maintainers = Maintainers.Parse(text, d => d == "mm");
        Assert.Equal(["A"], maintainers.SectionsFor("drivers/x/foo.c").Select(s => s.Title));
        Assert.Empty(maintainers.SectionsFor("drivers/x/y/foo.c"));   // '*' matches across '/', but the slash count must agree
        Assert.Equal(["A"], maintainers.SectionsFor("mm/deep/file.c").Select(s => s.Title)); // "mm" is a directory
        Assert.Empty(maintainers.SectionsFor("mm/secret.c"));
        Assert.Equal(["B"], maintainers.SectionsFor("drivers/gpu/drm/nv50.c").Select(s => s.Title));
    }

    [Theory]
    [InlineData("F:\tmm/\n", "MAINTAINERS:1: 'F:' entry before any section title")]
    [InlineData("A\nF:\n", "MAINTAINERS:2: empty 'F:' entry in section 'A'")]
    [InlineData("just prose\n\nmore prose\n", "MAINTAINERS: no section lists any F: or N: pattern")]
    public void Malformed_files_are_rejected_with_a_line(string text, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => Maintainers.Parse(text, _ => false)).Message);
}

public class GitOutputTests
{
    [Fact]
    public void Log_output_splits_into_commits_with_parents_people_and_raw_messages()
    {
        var output = "aaa\0p1 p2\0Jérôme\0j@x\0Jason\0g@x\0Jérôme Glisse\0jglisse@x\0Jason\0g@x\01700000000\0subject\r\n\r\nSigned-off-by: J <j@x>\n\0"
            + "bbb\0\0A\0a@x\0A\0a@x\0A\0a@x\0A\0a@x\01700000060\0\n";
        var commits = GitOutput.ParseLog(output);
        Assert.Equal(["aaa", "bbb"], commits.Select(c => c.Sha));
        Assert.Equal(["p1", "p2"], commits[0].Parents);
        Assert.True(commits[0].IsMerge);
        Assert.Equal(new Person("Jérôme", "j@x"), commits[0].Author);
        Assert.Equal(new Person("Jérôme Glisse", "jglisse@x"), commits[0].MailmapAuthor);
        Assert.Equal(1700000000, commits[0].AuthorDate);
        Assert.Equal("subject", commits[0].Subject);
        Assert.Empty(commits[1].Parents);
        Assert.Equal("", commits[1].Subject);
    }

    [Fact]
    public void Patch_ids_map_commits_to_their_patch_id()
    {
        Assert.Equal(new Dictionary<string, string> { ["c1"] = "p1", ["c2"] = "p1" }, GitOutput.ParsePatchIds("p1 c1\np1 c2\n\n"));
    }

    [Fact]
    public void Name_only_output_and_tags_are_read()
    {
        var files = GitOutput.ParseNameOnly("\u001ec1\0\nmm/hmm.c\0lib/a \"q\"\\b.c\0\0\u001ec2\0");
        Assert.Equal(["mm/hmm.c", "lib/a \"q\"\\b.c"], files["c1"]);
        Assert.Empty(files["c2"]);
        var tags = GitOutput.ParseTags("t1 c1 v6.1\nc2  v6.1-rc1\n");
        Assert.Equal(["v6.1"], tags["c1"]);
        Assert.Equal(["v6.1-rc1"], tags["c2"]);
    }
}

public class ScopeGlobTests
{
    [Theory]
    [InlineData("mm/hmm.c", true)]
    [InlineData("mm/hmm.c.orig", false)]
    [InlineData("lib/test_hmm.c", true)]
    [InlineData("lib/test_hmm_uapi.h", true)]
    [InlineData("tools/testing/selftests/vm/hmm-tests.c", true)]
    [InlineData("tools/testing/selftests/vm/sub/hmm-tests.c", false)]
    [InlineData("Documentation/mm/hmm.rst", true)]
    [InlineData("mm/memory.c", false)]
    public void Globs_stay_within_a_path_component_unless_doubled_and_a_trailing_slash_covers_a_directory(string path, bool inScope) =>
        Assert.Equal(inScope, new ScopeGlob(["mm/hmm.c", "lib/test_hmm*", "tools/testing/selftests/*/hmm*", "Documentation/**/hmm.rst"]).Contains(path));

    [Fact]
    public void A_directory_glob_covers_everything_below() =>
        Assert.True(new ScopeGlob(["drivers/gpu/drm/nouveau/"]).Contains("drivers/gpu/drm/nouveau/nvkm/a.c"));
}
