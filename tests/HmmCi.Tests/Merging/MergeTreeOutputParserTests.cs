using HmmCi.Merging;

namespace HmmCi.Tests.Merging;

public class MergeTreeOutputParserTests
{
    private const string Tree = "8ee042bba0821cc8a52cae98e85aeeffbbb22398";

    [Fact]
    public void A_clean_merge_without_messages_is_just_the_tree()
    {
        var output = MergeTreeOutputParser.Parse(Tree + "\0", clean: true);
        Assert.Equal(Tree, output.Tree);
        Assert.True(output.Clean);
        Assert.Empty(output.Entries);
        Assert.Empty(output.Messages);
    }

    [Fact]
    public void Conflicted_entries_and_messages_with_several_paths_are_read()
    {
        var text = $"{Tree}\0100644 4731d8e5a5e42aeb91f788f68b2e5cf3ce5e6dc1 1\tdir/a file.c\0120000 959ff9ccf7a3cf1a49044cffd35c5a0cc913fe2c 2\tdir/a file.c\0\0"
            + "1\0dir/a file.c\0Auto-merging\0Auto-merging dir/a file.c\n\0"
            + "3\0rr\0rr2\0rr1\0CONFLICT (rename/rename)\0CONFLICT (rename/rename): rr renamed to rr2 in A and to rr1 in B.\n\0";

        var output = MergeTreeOutputParser.Parse(text, clean: false);

        Assert.Equal([new ConflictedEntry("100644", "4731d8e5a5e42aeb91f788f68b2e5cf3ce5e6dc1", 1, "dir/a file.c"),
            new ConflictedEntry("120000", "959ff9ccf7a3cf1a49044cffd35c5a0cc913fe2c", 2, "dir/a file.c")], output.Entries);
        Assert.Equal(2, output.Messages.Count);
        Assert.False(output.Messages[0].IsConflict);
        Assert.Equal(["rr", "rr2", "rr1"], output.Messages[1].Paths);
        Assert.Equal("CONFLICT (rename/rename)", output.Messages[1].Type);
        Assert.Equal("CONFLICT (rename/rename): rr renamed to rr2 in A and to rr1 in B.", output.Messages[1].Text);
    }

    [Fact]
    public void Advice_text_git_appends_after_the_messages_is_ignored()
    {
        var text = $"{Tree}\0160000 1111111111111111111111111111111111111111 1\tsub\0\0"
            + "1\0sub\0CONFLICT (submodule not initialized)\0Failed to merge submodule sub (not checked out)\n\0"
            + "Recursive merging with submodules currently only supports trivial cases.\nPlease manually handle the merging of each conflicted submodule.\n";

        var output = MergeTreeOutputParser.Parse(text, clean: false);

        Assert.Single(output.Messages);
        Assert.Equal("submodule", ConflictClassifier.Classify(output).Single().Kind);
    }

    [Fact]
    public void Output_without_a_tree_id_is_rejected_with_what_git_printed()
    {
        var e = Assert.Throws<FormatException>(() => MergeTreeOutputParser.Parse("fatal: something\n", clean: true));
        Assert.Contains("fatal: something", e.Message);
    }

    [Fact]
    public void Kinds_come_from_gits_message_text_then_from_the_stages()
    {
        static MergeMessage M(string type, string text) => new(["p"], type, text);
        static ConflictedEntry E(int stage, string mode = "100644") => new(mode, new string('a', 40), stage, "p");

        Assert.Equal("add/add", ConflictClassifier.KindOf([M("CONFLICT (contents)", "CONFLICT (add/add): Merge conflict in p")], [E(2), E(3)]));
        Assert.Equal("binary", ConflictClassifier.KindOf([M("CONFLICT (binary)", "warning: Cannot merge binary files: p"), M("CONFLICT (contents)", "CONFLICT (content): Merge conflict in p")], [E(1), E(2), E(3)]));
        Assert.Equal("directory/file", ConflictClassifier.KindOf([M("CONFLICT (file/directory)", "CONFLICT (file/directory): directory in the way of p")], []));
        Assert.Equal("symlink", ConflictClassifier.KindOf([M("CONFLICT (contents)", "CONFLICT (content): Merge conflict in p")], [E(1, "120000"), E(2, "120000"), E(3, "120000")]));
        Assert.Equal("distinct types", ConflictClassifier.KindOf([M("CONFLICT (distinct types)", "CONFLICT (distinct types): p had different types on each side")], [E(2), E(3, "120000")]));
        Assert.Equal("modify/delete", ConflictClassifier.KindOf([], [E(1), E(3)]));
        Assert.Equal("add/add", ConflictClassifier.KindOf([], [E(2), E(3)]));
        Assert.Equal("content", ConflictClassifier.KindOf([], [E(1), E(2), E(3)]));
    }
}
