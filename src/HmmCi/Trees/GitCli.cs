using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace HmmCi.Trees;

public sealed record GitResult(int ExitCode, string Output, string Error)
{
    public bool Success => ExitCode == 0;
}

public sealed class GitException(string message) : Exception(message);

/// <summary>
/// The git command line, run against one repository. HmmCi uses it where git itself is clearly better
/// than LibGit2Sharp: fetching kernel-sized history and merge-ort (git merge-tree).
/// </summary>
public sealed class GitCli(string gitDirectory)
{
    public string GitDirectory { get; } = gitDirectory;

    public async Task<GitResult> RunAsync(IEnumerable<string> arguments, string? input = null,
        IReadOnlyDictionary<string, string?>? environment = null, CancellationToken cancellation = default,
        Action<string>? progress = null)
    {
        var command = Command(arguments, environment);
        if (input is not null) command = command.WithStandardInputPipe(PipeSource.FromString(input, Encoding.UTF8));
        // git redraws its progress meters with '\r': each redraw is a line for the caller, stderr is still captured whole.
        if (progress is not null) command = command.WithStandardErrorPipe(PipeTarget.Create(async (stream, token) =>
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var line = new StringBuilder();
            var buffer = new char[4096];
            int read;
            while ((read = await reader.ReadAsync(buffer, token)) > 0)
                foreach (var ch in buffer.AsSpan(0, read))
                {
                    if (ch is not ('\r' or '\n')) { line.Append(ch); continue; }
                    Emit();
                }
            Emit();

            void Emit()
            {
                // git pads each redraw with spaces to blank out a longer previous one.
                var text = line.ToString().TrimEnd();
                if (text.Length > 0) progress(text);
                line.Clear();
            }
        }));
        var result = await command.ExecuteBufferedAsync(Encoding.UTF8, cancellation);
        return new GitResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }

    /// <summary>
    /// Runs <c>git producer | git consumer</c>, streaming between the two (e.g. <c>log -p | patch-id</c>, which would
    /// not fit in memory on kernel history). Fails with the first failing side's exit code and message.
    /// </summary>
    public async Task<GitResult> PipeAsync(IEnumerable<string> producer, IEnumerable<string> consumer, CancellationToken cancellation = default)
    {
        var producerError = new StringBuilder();
        var producerExit = 0;
        var source = PipeSource.Create(async (stdin, token) =>
        {
            var result = await Command(producer, null)
                .WithStandardOutputPipe(PipeTarget.ToStream(stdin))
                .WithStandardErrorPipe(PipeTarget.ToStringBuilder(producerError))
                .ExecuteAsync(token);
            producerExit = result.ExitCode;
        });
        var consumed = await Command(consumer, null).WithStandardInputPipe(source).ExecuteBufferedAsync(Encoding.UTF8, cancellation);
        return producerExit != 0
            ? new GitResult(producerExit, consumed.StandardOutput, producerError.ToString())
            : new GitResult(consumed.ExitCode, consumed.StandardOutput, consumed.StandardError);
    }

    private Command Command(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment) =>
        Cli.Wrap("git")
            .WithArguments(arguments.Prepend(GitDirectory).Prepend("--git-dir"))
            .WithEnvironmentVariables(env =>
            {
                // Never wait on a credential prompt, and keep messages in the words the report quotes.
                env.Set("GIT_TERMINAL_PROMPT", "0").Set("LC_ALL", "C");
                foreach (var (key, value) in environment ?? new Dictionary<string, string?>()) env.Set(key, value);
            })
            .WithValidation(CommandResultValidation.None);

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
