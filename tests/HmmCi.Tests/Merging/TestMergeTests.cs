using HmmCi.Merging;
using HmmCi.Reports;
using HmmCi.Trees;

namespace HmmCi.Tests.Merging;

public class TestMergeTests : IDisposable
{
    private readonly MergeRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static Dictionary<string, string?> Files(params (string Path, string? Content)[] files) => files.ToDictionary(f => f.Path, f => f.Content);

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private Task<TestMergeResult> Merge(string treeHead, string topicHead) =>
        _repo.TestMerge.RunAsync(new MergeSide("hmm", topicHead), new MergeSide("rdma", treeHead), "for-next");

    [Fact]
    public async Task A_clean_merge_gives_git_merge_trees_tree_and_a_merge_commit_under_refs_hmmci_merged()
    {
        var b = _repo.Base(Files(("mm/hmm.c", Lines("a", "b", "c", "d", "e", "f", "g")), ("drivers/x.c", "x\n")));
        var topic = _repo.OnBranch("hmm", b, "mm/hmm: change the first line", Files(("mm/hmm.c", Lines("A", "b", "c", "d", "e", "f", "g"))));
        var tree = _repo.OnBranch("for-next", b, "RDMA: change the last line", Files(("mm/hmm.c", Lines("a", "b", "c", "d", "e", "f", "G")), ("drivers/y.c", "y\n")));

        var result = await Merge(tree, topic);

        var merge = result.Report;
        Assert.Equal(MergeStatus.Clean, merge.Status);
        Assert.Equal(_repo.Oracle(tree, topic).Tree, merge.Tree);
        Assert.Null(merge.Reason);
        Assert.Equal(merge.Commit, _repo.Rev("refs/hmmci/merged/rdma"));
        Assert.Equal($"{tree} {topic}", _repo.Rev($"{merge.Commit}^@").ReplaceLineEndings(" ").Trim());
        Assert.Equal(merge.Tree, _repo.Rev($"{merge.Commit}^{{tree}}"));
        Assert.Equal("Merge hmm into rdma for-next (test merge)\n|HmmCi <hmmci@localhost>|HmmCi",
            _repo.Repo.Git("log", "-1", "--format=%B|%an <%ae>|%cn", merge.Commit!).Trim());
    }

    [Fact]
    public async Task The_same_inputs_give_the_same_merge_commit()
    {
        var b = _repo.Base(Files(("a", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "t", Files(("b", "b\n")));
        var tree = _repo.OnBranch("for-next", b, "r", Files(("c", "c\n")));
        Assert.Equal((await Merge(tree, topic)).Report.Commit, (await Merge(tree, topic)).Report.Commit);
    }

    [Fact]
    public async Task A_file_renamed_on_one_side_and_edited_on_the_other_merges_cleanly_as_with_git()
    {
        var b = _repo.Base(Files(("lib/test_hmm.c", Lines("1", "2", "3", "4", "5", "6", "7", "8"))));
        var topic = _repo.OnBranch("hmm", b, "edit", Files(("lib/test_hmm.c", Lines("1", "2", "3", "4", "5", "6", "7", "EIGHT"))));
        _repo.Repo.Checkout("for-next", create: true, b);
        _repo.Repo.Git("mv", "lib/test_hmm.c", "lib/hmm_test.c");
        var tree = _repo.Repo.Commit("rename", Files());

        var merge = (await Merge(tree, topic)).Report;

        Assert.Equal(MergeStatus.Clean, merge.Status);
        Assert.Equal(_repo.Oracle(tree, topic).Tree, merge.Tree);
        Assert.Contains("EIGHT", _repo.Repo.Git("show", $"{merge.Commit}:lib/hmm_test.c"));
    }

    [Fact]
    public async Task A_content_conflict_names_both_sides_commits_and_quotes_the_hunk_with_tree_names_on_the_markers()
    {
        var b = _repo.Base(Files(("drivers/gpu/amdgpu_mn.c", Lines("1", "2", "3", "4", "timeout = 512;", "6", "7", "8", "9", "10", "11", "12"))));
        _repo.OnBranch("hmm", b, "mm/hmm: unrelated file", Files(("mm/hmm.c", "x\n")));
        var topic = _repo.Repo.Commit("mm/hmm: add hmm_range_timeout()", Files(("drivers/gpu/amdgpu_mn.c", Lines("1", "2", "3", "4", "timeout = hmm_range_timeout();", "6", "7", "8", "9", "10", "11", "12"))));
        var tree = _repo.OnBranch("for-next", b, "drm/amdgpu: 64MB/s", Files(("drivers/gpu/amdgpu_mn.c", Lines("1", "2", "3", "4", "timeout = 64;", "6", "7", "8", "9", "10", "11", "12"))));

        var merge = (await Merge(tree, topic)).Report;

        Assert.Equal(MergeStatus.Conflict, merge.Status);
        var conflict = Assert.Single(merge.Conflicts);
        Assert.Equal("drivers/gpu/amdgpu_mn.c", conflict.Path);
        Assert.Equal("content", conflict.Kind);
        Assert.Equal(Lines("@@ line 2 @@", "2", "3", "4", "<<<<<<< rdma", "timeout = 64;", "=======", "timeout = hmm_range_timeout();", ">>>>>>> hmm", "6", "7", "8").TrimEnd(), conflict.Excerpt);
        Assert.False(conflict.ExcerptTruncated);
        Assert.Equal([new CommitRef(topic, "mm/hmm: add hmm_range_timeout()")], conflict.TopicCommits);
        Assert.Equal([new CommitRef(tree, "drm/amdgpu: 64MB/s")], conflict.TreeCommits);
        Assert.Null(merge.Tree);
        Assert.Null(merge.Commit);
        Assert.Throws<InvalidOperationException>(() => _repo.Rev("refs/hmmci/merged/rdma"));
    }

    [Fact]
    public async Task Every_conflict_kind_is_named_and_the_conflicted_paths_are_git_merge_trees()
    {
        var b = _repo.Base(Files(("f", Lines("a", "b", "c")), ("md", "x\n"), ("rd", "q\n"), ("rr", "z\n"), ("dirfile", "k\n")));
        File.WriteAllBytes(Path.Combine(_repo.Repo.Path, "bin"), [0, 1, 2]);
        b = _repo.Repo.Commit("binary", Files());

        _repo.Repo.Checkout("hmm", create: true, b);
        File.WriteAllBytes(Path.Combine(_repo.Repo.Path, "bin"), [0, 1, 3]);
        _repo.Repo.Git("mv", "rr", "rr-topic");
        _repo.Repo.Git("rm", "-q", "rd");
        File.Delete(Path.Combine(_repo.Repo.Path, "dirfile"));
        var topic = _repo.Repo.Commit("topic", Files(("f", Lines("a", "TOPIC", "c")), ("md", "x1\n"), ("aa", "topic\n"), ("dirfile/inside", "i\n")));

        _repo.Repo.Checkout("for-next", create: true, b);
        File.WriteAllBytes(Path.Combine(_repo.Repo.Path, "bin"), [0, 1, 4]);
        _repo.Repo.Git("mv", "rr", "rr-tree");
        _repo.Repo.Git("mv", "rd", "rd-renamed");
        _repo.Repo.Git("rm", "-q", "md");
        var tree = _repo.Repo.Commit("tree", Files(("f", Lines("a", "TREE", "c")), ("aa", "tree\n")));

        var merge = (await Merge(tree, topic)).Report;

        Assert.Equal(MergeStatus.Conflict, merge.Status);
        var kinds = merge.Conflicts.ToDictionary(c => c.Path, c => c.Kind);
        Assert.Equal("content", kinds["f"]);
        Assert.Equal("add/add", kinds["aa"]);
        Assert.Equal("binary", kinds["bin"]);
        Assert.Equal("modify/delete", kinds["md"]);
        Assert.Equal("rename/delete", kinds["rd-renamed"]);
        Assert.Equal("rename/rename", kinds["rr"]);
        Assert.Equal("rename/rename", kinds["rr-topic"]);
        Assert.Equal("directory/file", Assert.Single(merge.Conflicts, c => c.Path.StartsWith("dirfile", StringComparison.Ordinal)).Kind);
        var oracle = _repo.Oracle(tree, topic);
        Assert.False(oracle.Clean);
        Assert.Equal(oracle.ConflictedPaths.Order(StringComparer.Ordinal), merge.Conflicts.Where(c => c.Kind != "directory/file").Select(c => c.Path));
        Assert.All(merge.Conflicts.Where(c => c.Kind != "content" && c.Kind != "add/add"), c => Assert.Null(c.Excerpt));
        Assert.All(merge.Conflicts, c => Assert.False(string.IsNullOrEmpty(c.Message)));
    }

    [Fact]
    public async Task Symlink_and_submodule_conflicts_are_named_without_an_excerpt()
    {
        File.CreateSymbolicLink(Path.Combine(_repo.Repo.Path, "link"), "target-base");
        _repo.Repo.Git("update-index", "--add", "--cacheinfo", $"160000,{new string('1', 40)},sub");
        Directory.CreateDirectory(Path.Combine(_repo.Repo.Path, "sub"));
        var b = _repo.Repo.Commit("base", Files(("readme", "r\n")));

        string Side(string branch, string target, char submodule)
        {
            _repo.Repo.Checkout(branch, create: true, b);
            File.Delete(Path.Combine(_repo.Repo.Path, "link"));
            File.CreateSymbolicLink(Path.Combine(_repo.Repo.Path, "link"), target);
            _repo.Repo.Git("update-index", "--cacheinfo", $"160000,{new string(submodule, 40)},sub");
            return _repo.Repo.Commit(branch, Files());
        }
        var topic = Side("hmm", "target-topic", '2');
        var tree = Side("for-next", "target-tree", '3');

        var merge = (await Merge(tree, topic)).Report;

        var kinds = merge.Conflicts.ToDictionary(c => c.Path, c => c.Kind);
        Assert.Equal("symlink", kinds["link"]);
        Assert.Equal("submodule", kinds["sub"]);
        Assert.All(merge.Conflicts, c => Assert.Null(c.Excerpt));
        Assert.Equal(_repo.Oracle(tree, topic).ConflictedPaths.Order(StringComparer.Ordinal), merge.Conflicts.Select(c => c.Path));
    }

    [Fact]
    public async Task A_topic_already_in_the_tree_is_clean_and_says_already_merged()
    {
        var b = _repo.Base(Files(("a", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "t", Files(("b", "b\n")));
        _repo.Repo.Checkout("for-next", create: true, b);
        _repo.Repo.Git("merge", "-q", "--no-ff", "-m", "Merge hmm", "hmm");
        var tree = _repo.Repo.Commit("later", Files(("c", "c\n")));

        var merge = (await Merge(tree, topic)).Report;

        Assert.Equal(MergeStatus.Clean, merge.Status);
        Assert.StartsWith("already merged", merge.Reason);
        Assert.Equal(tree, merge.Commit);
        Assert.Equal(_repo.Oracle(tree, topic).Tree, merge.Tree);
        Assert.Equal(tree, _repo.Rev("refs/hmmci/merged/rdma"));
    }

    [Fact]
    public async Task A_tree_that_is_an_ancestor_of_the_topic_still_gets_a_merge_commit()
    {
        var b = _repo.Base(Files(("a", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "t", Files(("b", "b\n")));

        var merge = (await Merge(b, topic)).Report;

        Assert.Equal(MergeStatus.Clean, merge.Status);
        Assert.Contains("is an ancestor of the hmm head", merge.Reason);
        Assert.Equal(_repo.Oracle(b, topic).Tree, merge.Tree);
        Assert.Equal($"{b} {topic}", _repo.Rev($"{merge.Commit}^@").ReplaceLineEndings(" ").Trim());
    }

    [Fact]
    public async Task A_merge_that_conflicts_or_fails_now_removes_the_merged_ref_an_earlier_clean_merge_left()
    {
        var b = _repo.Base(Files(("mm/hmm.c", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "t", Files(("mm/hmm.c", "topic\n")));
        var clean = _repo.OnBranch("for-next", b, "r", Files(("drivers/x.c", "x\n")));
        Assert.Equal(MergeStatus.Clean, (await Merge(clean, topic)).Report.Status);
        Assert.Equal((await Merge(clean, topic)).Report.Commit, _repo.Rev("refs/hmmci/merged/rdma"));

        var conflicting = _repo.Repo.Commit("r2", Files(("mm/hmm.c", "tree\n")));
        Assert.Equal(MergeStatus.Conflict, (await Merge(conflicting, topic)).Report.Status);
        Assert.Throws<InvalidOperationException>(() => _repo.Rev("refs/hmmci/merged/rdma"));

        await Merge(clean, topic);
        Assert.Equal(MergeStatus.Error, (await Merge(clean, new string('0', 40))).Report.Status);
        Assert.Throws<InvalidOperationException>(() => _repo.Rev("refs/hmmci/merged/rdma"));
    }

    [Fact]
    public async Task Unrelated_histories_are_an_error_entry_in_gits_words()
    {
        var b = _repo.Base(Files(("a", "a\n")));
        _repo.Repo.Git("checkout", "-q", "--orphan", "hmm");
        _repo.Repo.Git("rm", "-q", "-rf", ".");
        var topic = _repo.Repo.Commit("unrelated", Files(("u", "u\n")));

        var merge = (await Merge(b, topic)).Report;

        Assert.Equal(MergeStatus.Error, merge.Status);
        Assert.Equal("the trees have no history in common (git: refusing to merge unrelated histories)", merge.Reason);
    }

    [Fact]
    public async Task A_huge_conflict_caps_the_excerpts_but_lists_every_path()
    {
        var count = 60;
        var big = string.Concat(Enumerable.Range(0, 400).Select(i => $"line {i} of a file long enough that sixty of its excerpts overflow the budget\n"));
        var b = _repo.Base(Enumerable.Range(0, count).ToDictionary(i => $"d/f{i:00}.c", _ => (string?)big));
        var topic = _repo.OnBranch("hmm", b, "t", Enumerable.Range(0, count).ToDictionary(i => $"d/f{i:00}.c", _ => (string?)big.Replace(" ", " topic ")));
        var tree = _repo.OnBranch("for-next", b, "r", Enumerable.Range(0, count).ToDictionary(i => $"d/f{i:00}.c", _ => (string?)big.Replace(" ", " tree ")));

        var merge = (await Merge(tree, topic)).Report;

        Assert.Equal(count, merge.Conflicts.Count);
        Assert.Equal(_repo.Oracle(tree, topic).ConflictedPaths.Order(StringComparer.Ordinal), merge.Conflicts.Select(c => c.Path));
        Assert.All(merge.Conflicts, c => Assert.True(c.ExcerptTruncated));
        Assert.All(merge.Conflicts, c => Assert.True((c.Excerpt?.Length ?? 0) <= ConflictExcerpt.DefaultMaxBytes));
        Assert.True(merge.Conflicts.Sum(c => c.Excerpt?.Length ?? 0) <= ConflictDescriber.ExcerptBudgetBytes);
        Assert.Contains(merge.Conflicts, c => c.Excerpt is null);
    }

    [Fact]
    public async Task Messages_and_the_paths_git_invents_name_trees_not_commits_so_they_survive_new_heads()
    {
        var b = _repo.Base(Files(("moddel.c", "m\n"), ("mm/hmm.c", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "hmm: dirfile and moddel", Files(("dirfile", "a file\n"), ("moddel.c", "m topic\n")));
        var tree = _repo.OnBranch("for-next", b, "rdma: dirfile/inner.c, moddel gone", Files(("dirfile/inner.c", "inner\n"), ("moddel.c", null)));

        var result = await Merge(tree, topic);

        Assert.Equal(["dirfile~hmm", "moddel.c"], result.Report.Conflicts.Select(c => c.Path));
        Assert.Equal("CONFLICT (file/directory): directory in the way of dirfile from hmm; moving it to dirfile~hmm instead.", result.Report.Conflicts[0].Message);
        Assert.Equal("CONFLICT (modify/delete): moddel.c deleted in rdma and modified in hmm.  Version hmm of moddel.c left in tree.", result.Report.Conflicts[1].Message);
        Assert.DoesNotContain(result.Report.Conflicts, c => c.Message!.Contains(topic, StringComparison.Ordinal) || c.Message.Contains(tree, StringComparison.Ordinal));
        // The directory's side is credited with the commit that made it.
        Assert.Equal(["rdma: dirfile/inner.c, moddel gone"], result.Report.Conflicts[0].TreeCommits.Select(c => c.Subject));
        Assert.Equal(["hmm: dirfile and moddel"], result.Report.Conflicts[0].TopicCommits.Select(c => c.Subject));
        // The moved file is in the merged tree under the path the report names.
        Assert.Equal("a file\n", result.Conflicts[0].Merged?.Text);

        // A recorded resolution keeps matching when the topic moves on elsewhere.
        _repo.Resolutions.Save("rdma", result.Conflicts.Select(c => (c.Conflict.Path, c.Preimage, c.Merged?.Content)));
        _repo.Repo.Checkout("hmm");
        var newer = _repo.Repo.Commit("hmm: unrelated", Files(("mm/hmm.c", "b\n")));
        var again = await Merge(tree, newer);
        Assert.Equal(MergeStatus.Resolved, again.Report.Status);
        Assert.Equal(["dirfile~hmm", "moddel.c"], again.Report.Conflicts.Select(c => c.Path));
    }
}
