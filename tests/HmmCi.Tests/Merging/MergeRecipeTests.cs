using HmmCi.Merging;

namespace HmmCi.Tests.Merging;

/// <summary>The one recipe every merge commit of HmmCi comes from: reproducible, recorded resolutions applied.</summary>
public sealed class MergeRecipeTests : IDisposable
{
    readonly MergeRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Fact]
    public async Task The_same_inputs_give_the_same_commit_by_HmmCi_dated_like_the_newer_parent_clean_or_resolved()
    {
        var @base = _repo.Base(new Dictionary<string, string?> { ["hmm.c"] = "timeout = 512;\n", ["other.c"] = "o\n" });
        var tree = _repo.OnBranch("drm-next", @base, "drm: timeout", new Dictionary<string, string?> { ["hmm.c"] = "timeout = 64;\n" });
        var clean = _repo.OnBranch("hmm-clean", @base, "mm/hmm: other", new Dictionary<string, string?> { ["other.c"] = "p\n" });
        var conflicting = _repo.OnBranch("hmm", @base, "mm/hmm: timeout", new Dictionary<string, string?> { ["hmm.c"] = "timeout = hmm_range_timeout();\n" });
        var recipe = new MergeRecipe(_repo.Git, _repo.Objects, _repo.Resolutions);
        var conflicted = await recipe.MergeAsync(new MergeRequest(new MergeSide("drm", tree), new MergeSide("hmm", conflicting), "probe"));
        _repo.Resolutions.Save("drm", conflicted.Conflicts.Select(c => (c.Conflict.Path, c.Preimage, (byte[]?)"timeout = hmm_range_timeout() / 8;\n"u8.ToArray())));

        foreach (var topic in new[] { clean, conflicting })
        {
            var request = new MergeRequest(new MergeSide("drm", tree), new MergeSide("hmm", topic), "Merge hmm into drm drm-next (test merge)");
            var first = await recipe.MergeAsync(request);
            // Another run: a fresh handle on the store.
            using var objects = new StoreObjects(_repo.Git.GitDirectory);
            var again = await new MergeRecipe(_repo.Git, objects, _repo.Resolutions).MergeAsync(request);

            Assert.NotNull(first.Commit);
            Assert.Equal(first.Commit, again.Commit);
            Assert.Equal($"{tree} {topic}", _repo.Repo.Git("log", "-1", "--format=%P", first.Commit).Trim());
            var newer = new[] { tree, topic }.Max(p => long.Parse(_repo.Repo.Git("log", "-1", "--format=%ct", p).Trim()));
            Assert.Equal($"HmmCi <hmmci@localhost> {newer} HmmCi <hmmci@localhost> {newer}", _repo.Repo.Git("log", "-1", "--format=%an <%ae> %at %cn <%ce> %ct", first.Commit).Trim());
        }
        var resolved = await recipe.MergeAsync(new MergeRequest(new MergeSide("drm", tree), new MergeSide("hmm", conflicting), "m"));
        Assert.Equal("timeout = hmm_range_timeout() / 8;\n", _repo.Repo.Git("show", $"{resolved.Commit}:hmm.c"));
    }
}
