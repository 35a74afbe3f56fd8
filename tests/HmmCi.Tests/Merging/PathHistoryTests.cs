using HmmCi.Merging;
using HmmCi.Reports;

namespace HmmCi.Tests.Merging;

/// <summary>The in-process history of plain chains of commits against git log itself, the oracle.</summary>
public class PathHistoryTests : IDisposable
{
    private readonly MergeRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    private static Dictionary<string, string?> Files(params (string Path, string? Content)[] files) => files.ToDictionary(f => f.Path, f => f.Content);

    private static string Show(SideHistories h) =>
        string.Join("\n", new[] { ("<", h.Ours), (">", h.Theirs) }.SelectMany(side => side.Item2.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{side.Item1} {p.Key}: {string.Join(", ", p.Value.Select(c => $"{c.Sha[..7]} {c.Subject}"))}")));

    private async Task AssertSameAsGitLog(string ours, string theirs, string[] paths, bool inProcess)
    {
        var linear = _repo.Objects.LinearHistories(ours, theirs, paths, PathHistory.InProcessMaxCommits);
        Assert.Equal(inProcess, linear is not null);
        var git = Show(await _repo.History.LogAsync(ours, theirs, paths));
        Assert.NotEmpty(git);
        Assert.Equal(git, Show(await _repo.History.TouchingAsync(ours, theirs, paths)));
        if (linear is not null) Assert.Equal(git, Show(linear));
    }

    [Fact]
    public async Task Plain_chains_are_read_in_process_and_give_git_logs_answer()
    {
        var b = _repo.Base(Files(("mm/hmm.c", "a\n"), ("lib/old.c", "o\n"), ("drivers/x.c", "x\n"), ("include/hmm", "a file\n")));
        _repo.OnBranch("hmm", b, "mm/hmm: one", Files(("mm/hmm.c", "topic\n")));
        _repo.Repo.Commit("unrelated", Files(("other.c", "u\n")));
        _repo.Repo.Commit("\n\nmm/hmm: a subject\nover two lines  \n\nbody\n", Files(("mm/hmm.c", "topic 2\n"), ("drivers/x.c", null)));
        _repo.Repo.Git("mv", "lib/old.c", "lib/new.c");
        var topic = _repo.Repo.Commit("lib: rename", Files());
        _repo.OnBranch("for-next", b, "drm: change", Files(("mm/hmm.c", "tree\n"), ("drivers/x.c", "x2\n")));
        _repo.Repo.Commit("include: hmm becomes a directory", Files(("include/hmm", null)));
        _repo.Repo.Commit("include: hmm/hmm.h", Files(("include/hmm/hmm.h", "h\n")));
        _repo.Repo.Git("update-index", "--chmod=+x", "mm/hmm.c");
        var tree = _repo.Repo.Commit("drm: mode only", Files());

        await AssertSameAsGitLog(tree, topic, ["mm/hmm.c", "drivers/x.c", "lib/old.c", "lib/new.c", "absent.c", "include/hmm/hmm.h", "include/hmm/none.h", "mm/hmm.c/x"], inProcess: true);
    }

    [Fact]
    public async Task A_merge_a_directory_or_a_long_chain_is_left_to_git_log()
    {
        var b = _repo.Base(Files(("mm/hmm.c", "a\n"), ("drivers/gpu/x.c", "x\n")));
        var topic = _repo.OnBranch("hmm", b, "mm/hmm: one", Files(("mm/hmm.c", "topic\n"), ("drivers/gpu/x.c", "t\n")));
        _repo.OnBranch("side", b, "side: change", Files(("mm/hmm.c", "side\n")));
        _repo.OnBranch("for-next", b, "drm: change", Files(("drivers/gpu/y.c", "y\n")));
        _repo.Repo.Git("merge", "-q", "--no-edit", "side");
        var tree = _repo.Rev("HEAD");

        await AssertSameAsGitLog(tree, topic, ["mm/hmm.c"], inProcess: false);

        _repo.OnBranch("linear", b, "drm: linear", Files(("mm/hmm.c", "linear\n")));
        var linear = _repo.Rev("HEAD");
        await AssertSameAsGitLog(linear, topic, ["drivers/gpu"], inProcess: false);
        await AssertSameAsGitLog(linear, topic, ["mm/hmm.c"], inProcess: true);
        Assert.Null(_repo.Objects.LinearHistories(linear, topic, ["mm/hmm.c"], maxCommits: 0));
    }

    [Fact]
    public async Task Git_log_finds_paths_git_would_quote()
    {
        const string odd = "drivers/sp ace \"q\" back\\slash\ttab ü.c";
        var b = _repo.Base(Files((odd, "a\n"), ("mm/hmm.c", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "hmm: odd file", Files((odd, "topic\n")));
        _repo.OnBranch("side", b, "side: change", Files(("mm/hmm.c", "side\n")));
        _repo.OnBranch("for-next", b, "drm: odd file", Files((odd, "tree\n")));
        _repo.Repo.Git("merge", "-q", "--no-edit", "side");
        var tree = _repo.Rev("HEAD");

        var history = await _repo.History.TouchingAsync(tree, topic, [odd]);

        Assert.Equal(["drm: odd file"], history.Ours[odd].Select(c => c.Subject));
        Assert.Equal(["hmm: odd file"], history.Theirs[odd].Select(c => c.Subject));
    }

    [Fact]
    public async Task A_directory_made_where_the_other_side_has_a_file_counts_for_that_path()
    {
        var b = _repo.Base(Files(("mm/hmm.c", "a\n")));
        var topic = _repo.OnBranch("hmm", b, "hmm: add dirfile", Files(("dirfile", "a file\n")));
        var tree = _repo.OnBranch("for-next", b, "drm: add dirfile/inner.c", Files(("dirfile/inner.c", "inner\n")));
        _repo.Repo.Commit("drm: dirfile/more.c and inner.c", Files(("dirfile/sub/more.c", "more\n"), ("dirfile/inner.c", "inner 2\n")));
        tree = _repo.Rev("HEAD");

        var history = await _repo.History.TouchingAsync(tree, topic, ["dirfile"]);

        Assert.Equal(["drm: dirfile/more.c and inner.c", "drm: add dirfile/inner.c"], history.Ours["dirfile"].Select(c => c.Subject));
        Assert.Equal(["hmm: add dirfile"], history.Theirs["dirfile"].Select(c => c.Subject));
        await AssertSameAsGitLog(tree, topic, ["dirfile", "mm/hmm.c"], inProcess: false);
    }
}
