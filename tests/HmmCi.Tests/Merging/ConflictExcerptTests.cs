using HmmCi.Merging;

namespace HmmCi.Tests.Merging;

public class ConflictExcerptTests
{
    private static string File(params string[] lines) => string.Join("\n", lines) + "\n";

    [Fact]
    public void Each_conflict_comes_with_three_lines_of_context_and_its_line_number()
    {
        var text = File("1", "2", "3", "4", "5", "<<<<<<< rdma", "ours", "=======", "theirs", ">>>>>>> hmm", "11", "12", "13", "14", "15", "16", "17", "18",
            "<<<<<<< rdma", "b", "=======", "c", ">>>>>>> hmm", "24");

        var excerpt = ConflictExcerpt.From(text);

        Assert.False(excerpt.Truncated);
        Assert.Equal(string.Join("\n", "@@ line 3 @@", "3", "4", "5", "<<<<<<< rdma", "ours", "=======", "theirs", ">>>>>>> hmm", "11", "12", "13",
            "@@ line 16 @@", "16", "17", "18", "<<<<<<< rdma", "b", "=======", "c", ">>>>>>> hmm", "24"), excerpt.Text);
    }

    [Fact]
    public void Conflicts_whose_context_touches_are_one_hunk()
    {
        var text = File("<<<<<<< a", "x", "=======", "y", ">>>>>>> b", "1", "2", "3", "4", "5", "6", "<<<<<<< a", "p", "=======", "q", ">>>>>>> b");
        Assert.Equal(1, ConflictExcerpt.From(text).Text!.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_excerpt_is_capped_in_lines_and_bytes_and_says_so()
    {
        var text = File(["<<<<<<< rdma", .. Enumerable.Range(0, 500).Select(i => $"ours {i}"), "=======", "theirs", ">>>>>>> hmm"]);

        var byLines = ConflictExcerpt.From(text, maxLines: 10);
        Assert.True(byLines.Truncated);
        Assert.Equal(10, byLines.Text!.Split('\n').Length);

        var byBytes = ConflictExcerpt.From(text, maxBytes: 100);
        Assert.True(byBytes.Truncated);
        Assert.True(byBytes.Text!.Length <= 100);
    }

    [Fact]
    public void A_file_without_markers_has_no_excerpt()
    {
        Assert.Equal(Excerpt.None, ConflictExcerpt.From(File("a", "<<<<<<<< eight is not a marker", "b")));
    }

    [Fact]
    public void Relabel_puts_tree_names_on_the_markers_only()
    {
        var text = File("<<<<<<< 0123456789abcdef:mm/hmm.c", "a", "=======", "b", ">>>>>>> fedcba9876543210", "<<<<<<<< inner", "x");
        Assert.Equal(File("<<<<<<< rdma", "a", "=======", "b", ">>>>>>> hmm", "<<<<<<<< inner", "x"), ConflictMarkers.Relabel(text, "rdma", "hmm"));
    }

    [Fact]
    public void Path_history_output_is_grouped_by_side_and_path_newest_first()
    {
        var output = "\x1e<" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\x1fnewer: touch both\0\nmm/hmm.c\0lib/test_hmm.c\0"
            + "\x1e>" + "cccccccccccccccccccccccccccccccccccccccc\x1ftheirs\0\nmm/hmm.c\0"
            + "\x1e<" + "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\x1folder\0\nmm/hmm.c\0";

        var sides = PathHistory.Parse(output, ["mm/hmm.c", "lib/test_hmm.c"]);

        Assert.Equal(["newer: touch both", "older"], sides.Ours["mm/hmm.c"].Select(c => c.Subject));
        Assert.Equal("aaaaaaaaaaaa (\"newer: touch both\")", sides.Ours["lib/test_hmm.c"].Single().ToString());
        Assert.Equal(["theirs"], sides.Theirs["mm/hmm.c"].Select(c => c.Subject));
        Assert.False(sides.Theirs.ContainsKey("lib/test_hmm.c"));
    }
}
