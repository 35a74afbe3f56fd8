using HmmCi.Merging;
using HmmCi.Reports;

namespace HmmCi.Tests.Merging;

public class RecordedResolutionsTests : IDisposable
{
    private readonly MergeRepository _repo = new();
    private readonly string _base;

    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";
    private static readonly string[] Original = ["1", "2", "3", "4", "timeout = 512;", "6", "7", "8", "9", "10", "11", "12"];
    private static string[] With(int index, string line) { var copy = Original.ToArray(); copy[index] = line; return copy; }

    public RecordedResolutionsTests()
    {
        _base = _repo.Base(new Dictionary<string, string?> { ["amdgpu_mn.c"] = Lines(Original), ["other.c"] = "o\n" });
    }

    public void Dispose() => _repo.Dispose();

    private (string Topic, string Tree) Conflicting(string treeLine = "timeout = 64;")
    {
        var topic = _repo.OnBranch("hmm", _base, "mm/hmm: timeout", new Dictionary<string, string?> { ["amdgpu_mn.c"] = Lines(With(4, "timeout = hmm_range_timeout();")) });
        var tree = _repo.OnBranch("drm-next", _base, "drm: timeout", new Dictionary<string, string?> { ["amdgpu_mn.c"] = Lines(With(4, treeLine)) });
        return (topic, tree);
    }

    private Task<TestMergeResult> Merge(string tree, string topic) =>
        _repo.TestMerge.RunAsync(new MergeSide("hmm", topic), new MergeSide("drm", tree), "drm-next");

    private async Task Record(string tree, string topic, string resolvedLine)
    {
        var conflicted = await Merge(tree, topic);
        _repo.Resolutions.Save("drm", conflicted.Conflicts.Select(c => (c.Conflict.Path, c.Preimage, (byte[]?)System.Text.Encoding.UTF8.GetBytes(Lines(With(4, resolvedLine))))));
    }

    [Fact]
    public async Task A_recorded_resolution_resolves_the_merge_and_leaves_a_resolved_merge_commit()
    {
        var (topic, tree) = Conflicting();
        await Record(tree, topic, "timeout = hmm_range_timeout() / 8;");

        var merge = (await Merge(tree, topic)).Report;

        Assert.Equal(MergeStatus.Resolved, merge.Status);
        Assert.Equal("resolutions/drm", merge.Resolution);
        Assert.Equal(ResolutionStatus.Applied, Assert.Single(merge.Conflicts).Resolution);
        Assert.Equal(merge.Commit, _repo.Rev("refs/hmmci/merged/drm"));
        Assert.Equal(Lines(With(4, "timeout = hmm_range_timeout() / 8;")), _repo.Repo.Git("show", $"{merge.Commit}:amdgpu_mn.c"));
        Assert.Equal($"{tree} {topic}", _repo.Rev($"{merge.Commit}^@").ReplaceLineEndings(" ").Trim());
        Assert.True(File.Exists(Path.Combine(_repo.Resolutions.FolderOf("drm"), "preimage", "amdgpu_mn.c")));
    }

    [Fact]
    public async Task The_resolution_still_applies_when_the_file_changed_away_from_the_conflict()
    {
        var (topic, tree) = Conflicting();
        await Record(tree, topic, "timeout = hmm_range_timeout() / 8;");
        _repo.Repo.Checkout("drm-next");
        var moved = _repo.Repo.Commit("drm: last line", new Dictionary<string, string?> { ["amdgpu_mn.c"] = Lines([.. With(4, "timeout = 64;")[..^1], "TWELVE"]) });

        var merge = (await Merge(moved, topic)).Report;

        Assert.Equal(MergeStatus.Resolved, merge.Status);
        Assert.Equal(Lines([.. With(4, "timeout = hmm_range_timeout() / 8;")[..^1], "TWELVE"]), _repo.Repo.Git("show", $"{merge.Commit}:amdgpu_mn.c"));
    }

    [Fact]
    public async Task When_the_conflict_changed_the_report_says_the_resolution_no_longer_applies_and_shows_the_new_conflict()
    {
        var (topic, tree) = Conflicting();
        await Record(tree, topic, "timeout = hmm_range_timeout() / 8;");
        _repo.Repo.Checkout("drm-next");
        var changed = _repo.Repo.Commit("drm: 32MB/s", new Dictionary<string, string?> { ["amdgpu_mn.c"] = Lines(With(4, "timeout = 32;")) });

        var merge = (await Merge(changed, topic)).Report;

        Assert.Equal(MergeStatus.Conflict, merge.Status);
        Assert.Equal("the recorded resolution in resolutions/drm no longer applies to 1 of 1 conflicted paths: the conflict changed", merge.Reason);
        var conflict = Assert.Single(merge.Conflicts);
        Assert.Equal(ResolutionStatus.NoLongerApplies, conflict.Resolution);
        Assert.Equal("the conflict in amdgpu_mn.c changed since its resolution was recorded in resolutions/drm", conflict.ResolutionNote);
        Assert.Contains("timeout = 32;", conflict.Excerpt);
        Assert.Throws<InvalidOperationException>(() => _repo.Rev("refs/hmmci/merged/drm"));
    }

    [Fact]
    public async Task A_resolution_is_captured_from_a_worktree_the_maintainer_resolved()
    {
        var (topic, tree) = Conflicting();
        var recorder = new ResolutionRecorder(_repo.Git, _repo.Directory.Combine("workspace"), _repo.Resolutions);
        var (topicSide, treeSide) = (new MergeSide("hmm", topic), new MergeSide("drm", tree));

        var first = await recorder.RecordAsync(topicSide, treeSide, (await Merge(tree, topic)).Conflicts);
        Assert.False(first.Recorded);
        var workTree = recorder.WorkTreeOf("drm");
        Assert.Contains($"is in {workTree}; resolve it there (amdgpu_mn.c)", first.Message);
        Assert.Contains("<<<<<<<", File.ReadAllText(Path.Combine(workTree, "amdgpu_mn.c")));

        var unresolved = await recorder.RecordAsync(topicSide, treeSide, (await Merge(tree, topic)).Conflicts);
        Assert.False(unresolved.Recorded);
        Assert.Contains("still hold conflict markers", unresolved.Message);

        File.WriteAllText(Path.Combine(workTree, "amdgpu_mn.c"), Lines(With(4, "timeout = hmm_range_timeout() / 8;")));
        var second = await recorder.RecordAsync(topicSide, treeSide, (await Merge(tree, topic)).Conflicts);
        Assert.True(second.Recorded, second.Message);
        Assert.False(Directory.Exists(workTree));

        var merge = (await Merge(tree, topic)).Report;
        Assert.Equal(MergeStatus.Resolved, merge.Status);
        Assert.Equal(Lines(With(4, "timeout = hmm_range_timeout() / 8;")), _repo.Repo.Git("show", $"{merge.Commit}:amdgpu_mn.c"));
    }

    [Fact]
    public async Task A_resolution_also_lets_the_tree_into_the_merge_window()
    {
        var (topic, tree) = Conflicting();
        await Record(tree, topic, "timeout = hmm_range_timeout() / 8;");

        var window = await new MergeWindowSimulation(_repo.MergeTree, _repo.Objects, _repo.Describer, _repo.Resolutions)
            .RunAsync(new MergeSide("mainline", _base), new MergeSide("hmm", topic), [new MergeSide("drm", tree)]);

        Assert.Equal(MergeStatus.Resolved, window.Status);
        Assert.Equal(MergeStatus.Resolved, window.Steps.Single(s => s.Tree == "drm").Status);
        Assert.Empty(window.Conflicts);
        Assert.Equal(Lines(With(4, "timeout = hmm_range_timeout() / 8;")), _repo.Repo.Git("show", $"{window.Commit}:amdgpu_mn.c"));
    }
}
