using HmmCi.Processes;

namespace HmmCi.Trees;

public sealed record GitResult(int ExitCode, string Output, string Error)
{
    /// <summary>Killed by the timeout the run was given (exit code -1).</summary>
    public bool TimedOut { get; init; }
    public bool Success => ExitCode == 0;
}

public sealed class GitException(string message) : Exception(message);

/// <summary>
/// The git command line, run against one repository. HmmCi uses it where git itself is clearly better
/// than LibGit2Sharp: fetching kernel-sized history and merge-ort (git merge-tree). It is the one door every
/// git process goes through, so each one gets the same environment (see <see cref="Spec"/>).
/// </summary>
public sealed class GitCli
{
    /// <summary>Git's output is read whole (logs of kernel history, merge-tree listings): never cut, unlike a build log's.</summary>
    const int Uncapped = int.MaxValue;

    readonly IProcessRunner _runner;
    readonly string? _workTree;

    public GitCli(string gitDirectory, IProcessRunner? runner = null)
    {
        GitDirectory = gitDirectory;
        _runner = runner ?? ProcessRunner.Default;
    }

    GitCli(string gitDirectory, string workTree, IProcessRunner runner) : this(gitDirectory, runner) => _workTree = workTree;

    public string GitDirectory { get; }

    /// <summary>
    /// Git run in a linked work tree of this repository (e.g. one made by <c>git worktree add</c>), where
    /// <c>merge</c>, <c>status</c> and the index are the work tree's own.
    /// </summary>
    public GitCli ForWorkTree(string workTree) => new(Path.Combine(workTree, ".git"), workTree, _runner);

    /// <summary>
    /// Runs git to its end. <paramref name="progress"/> hears each line git prints as it comes (git fetch's meters,
    /// which git prints on stderr; a '\r' redraw is a line); the output and error are returned whole all the same.
    /// </summary>
    public async Task<GitResult> RunAsync(IEnumerable<string> arguments, string? input = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellation = default,
        Action<string>? progress = null, TimeSpan? timeout = null)
    {
        var spec = Spec(arguments, environment) with
        {
            Input = input,
            Timeout = timeout,
            // git redraws its progress meters with '\r' and pads each redraw with spaces to blank out a longer one.
            OnLine = progress is null ? null : line =>
            {
                var text = line.TrimEnd();
                if (text.Length > 0) progress(text);
            },
        };
        return Result(await _runner.RunAsync(spec, cancellation));
    }

    /// <summary>
    /// Runs <c>git producer | git consumer</c>, streaming between the two (e.g. <c>log -p | patch-id</c>, which would
    /// not fit in memory on kernel history). Fails with the first failing side's exit code and message.
    /// </summary>
    public async Task<GitResult> PipeAsync(IEnumerable<string> producer, IEnumerable<string> consumer, CancellationToken cancellation = default)
    {
        Task<ProcessResult>? produced = null;
        var consumerSpec = Spec(consumer, null) with
        {
            InputWriter = (stdin, token) => produced = _runner.RunAsync(Spec(producer, null) with { OutputStream = stdin }, token),
        };
        var consumed = Result(await _runner.RunAsync(consumerSpec, cancellation));
        ProcessResult producerResult;
        try
        {
            producerResult = await (produced ?? throw new InvalidOperationException("the process runner never wrote the consumer's input"));
        }
        catch (IOException) when (!consumed.Success)
        {
            // The consumer stopped reading first (broken pipe): its own failure is the one to report.
            return consumed;
        }
        return producerResult.ExitCode != 0
            ? new GitResult(producerResult.ExitCode, consumed.Output, producerResult.Error)
            : consumed;
    }

    static GitResult Result(ProcessResult result) => new(result.ExitCode, result.Output, result.Error) { TimedOut = result.TimedOut };

    ProcessSpec Spec(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment)
    {
        // Never wait on a credential prompt, keep messages in the words the report quotes, and read no system or
        // user config: an abbrev, a diff or merge setting or a hook path there would change what HmmCi reads.
        var variables = new Dictionary<string, string?>
        {
            ["GIT_TERMINAL_PROMPT"] = "0", ["LC_ALL"] = "C", ["GIT_CONFIG_NOSYSTEM"] = "1", ["GIT_CONFIG_GLOBAL"] = "/dev/null",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) variables[key] = value;
        IEnumerable<string> location = _workTree is null ? ["--git-dir", GitDirectory] : ["--git-dir", GitDirectory, "--work-tree", _workTree];
        return new ProcessSpec("git", [.. location, .. arguments])
        {
            WorkingDirectory = _workTree,
            Environment = variables,
            OutputCap = Uncapped,
        };
    }

    /// <summary>Runs git and returns its output; a non-zero exit throws with git's own message.</summary>
    public async Task<string> ReadAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        return result.Success
            ? result.Output
            : throw new GitException($"git {string.Join(' ', arguments)}: {FirstLines(result.Error)}");
    }

    /// <summary>git's error text without hint lines, as one readable message.</summary>
    public static string FirstLines(string error) =>
        string.Join(" ", error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("hint:", StringComparison.Ordinal))
            .Take(3));
}
