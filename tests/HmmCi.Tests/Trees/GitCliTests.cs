using HmmCi.Merging;
using HmmCi.Processes;
using HmmCi.Tests.Fixtures;
using HmmCi.Trees;

namespace HmmCi.Tests.Trees;

public class GitCliTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly GitRepository _repo;
    private readonly GitCli _git;

    public GitCliTests()
    {
        _repo = new GitRepository(_directory.Combine("repo"));
        _git = new GitCli(Path.Combine(_repo.Path, ".git"));
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Output_larger_than_the_runners_default_cap_is_read_whole()
    {
        // Just over what ProcessSpec keeps by default: a log of kernel history is read to its last line.
        var size = new ProcessSpec("git", []).OutputCap + 4096;
        var blob = _directory.WriteFile("big.txt", new string('x', size - 1) + "\n");
        var sha = (await _git.ReadAsync("hash-object", "-w", blob)).Trim();

        var result = await _git.RunAsync(["cat-file", "blob", sha]);

        Assert.True(result.Success);
        Assert.Equal(size, result.Output.Length);
        Assert.EndsWith("x\n", result.Output);
    }

    [Fact]
    public async Task Input_and_environment_reach_git_and_its_exit_code_and_message_come_back()
    {
        var head = _repo.Commit("mm/hmm: first\n", "mm/hmm.c", "int a;\n");

        var batch = await _git.RunAsync(["cat-file", "--batch-check"], input: "HEAD\n");
        var missing = await _git.RunAsync(["rev-parse", "--verify", "no-such-ref"]);
        var identity = await _git.RunAsync(["var", "GIT_AUTHOR_IDENT"],
            environment: new Dictionary<string, string?> { ["GIT_AUTHOR_NAME"] = "Celia Marchetti", ["GIT_AUTHOR_EMAIL"] = "celia@example.com" });

        Assert.StartsWith($"{head} commit ", batch.Output);
        Assert.Equal(128, missing.ExitCode);
        Assert.Contains("fatal: Needed a single revision", missing.Error);
        Assert.StartsWith("Celia Marchetti <celia@example.com>", identity.Output);
    }

    [Fact]
    public async Task A_pipe_streams_one_git_into_another_and_a_failing_producer_gives_its_own_exit_code_and_message()
    {
        var first = _repo.Commit("mm/hmm: first\n", "mm/hmm.c", "int a;\n");
        var second = _repo.Commit("mm/hmm: second\n", "mm/hmm.c", "int a;\nint b;\n");

        var ids = await _git.PipeAsync(["log", "-p", "--no-merges", "HEAD"], ["patch-id", "--stable"]);
        var broken = await _git.PipeAsync(["log", "-p", "no-such-ref"], ["patch-id", "--stable"]);

        Assert.True(ids.Success);
        Assert.Equal([second, first], ids.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1]));
        Assert.Equal(128, broken.ExitCode);
        Assert.Contains("no-such-ref", broken.Error);
    }

    [Fact]
    public async Task Fetch_progress_arrives_line_by_line_without_the_padding_of_redraws()
    {
        _repo.Commit("mm/hmm: first\n", "mm/hmm.c", "int a;\n");
        var store = new GitCli(_directory.Combine("store.git"));
        await store.ReadAsync("init", "--bare", "--quiet");
        var lines = new List<string>();

        var fetch = await store.RunAsync(["fetch", "--progress", $"file://{_repo.Path}", "master"], progress: lines.Add);

        Assert.True(fetch.Success, fetch.Error);
        // Each '\r' redraw of a meter is a line of its own.
        Assert.Contains(lines, l => l.StartsWith("remote: Counting objects:  50%", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("remote: Counting objects: 100%", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Equal(l.TrimEnd(), l));
        Assert.DoesNotContain("", lines);
    }

    [Fact]
    public async Task A_linked_work_tree_has_its_own_HEAD_and_index()
    {
        var first = _repo.Commit("mm/hmm: first\n", "mm/hmm.c", "int a;\n");
        _repo.Commit("mm/hmm: second\n", "mm/hmm.c", "int a;\nint b;\n");
        var workTree = _directory.Combine("linked");
        await _git.ReadAsync("worktree", "add", "--detach", "--quiet", workTree, first);

        var head = await _git.ForWorkTree(workTree).ReadAsync("rev-parse", "HEAD");
        var status = await _git.ForWorkTree(workTree).ReadAsync("status", "--porcelain");

        Assert.Equal(first, head.Trim());
        Assert.Equal("", status);
    }

    [Fact]
    public async Task A_global_config_in_the_users_home_does_not_change_a_merge_hmmci_reads()
    {
        // Both sides edit the same line: a conflict. A global attributes file with "merge=union" would make git
        // keep both lines and call the merge clean, and the report would show no conflict.
        var home = _directory.Combine("home");
        Directory.CreateDirectory(home);
        var attributes = _directory.WriteFile("attributes", "* merge=union\n");
        File.WriteAllText(Path.Combine(home, ".gitconfig"), $"[core]\n\tattributesFile = {attributes}\n");
        _repo.Commit("mm/hmm: first\n", "mm/hmm.c", "int hmm_range_fault(void) { return 0; }\n");
        _repo.Checkout("drm", create: true);
        var theirs = _repo.Commit("drm: -EAGAIN\n", "mm/hmm.c", "int hmm_range_fault(void) { return -EAGAIN; }\n");
        _repo.Checkout("master");
        var ours = _repo.Commit("mm/hmm: -EBUSY\n", "mm/hmm.c", "int hmm_range_fault(void) { return -EBUSY; }\n");
        var runner = new InHome(home);

        // The same merge-tree without the door: the config in HOME is read and the merge comes out clean.
        var outside = await runner.RunAsync(new ProcessSpec("git", ["--git-dir", _git.GitDirectory, "merge-tree", "--write-tree", ours, theirs])
        {
            Environment = new Dictionary<string, string?> { ["GIT_CONFIG_GLOBAL"] = null, ["GIT_CONFIG_NOSYSTEM"] = "1" },
        });
        var merged = await new MergeTree(new GitCli(_git.GitDirectory, runner)).RunAsync(ours, theirs);

        Assert.Equal(0, outside.ExitCode);
        Assert.False(merged.Output?.Clean ?? true, merged.Error);
        Assert.Contains(merged.Output!.Entries, e => e.Path == "mm/hmm.c");
    }

    /// <summary>Every process run with the given HOME, as on a maintainer's machine with a ~/.gitconfig.</summary>
    sealed class InHome(string home) : IProcessRunner
    {
        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellation = default) =>
            ProcessRunner.Default.RunAsync(spec with
            {
                Environment = new Dictionary<string, string?>(spec.Environment) { ["HOME"] = home, ["XDG_CONFIG_HOME"] = Path.Combine(home, ".config") },
            }, cancellation);
    }
}
