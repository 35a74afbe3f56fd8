namespace HmmCi.Processes;

/// <summary>
/// One child process, as every stage starts them (git, make, podman, docker, qemu). The runner owns the
/// process group: a timeout or a cancellation kills the whole group, never only the direct child.
/// </summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }
    /// <summary>Added to (or, with a null value, removed from) the inherited environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();
    /// <summary>Text written to standard input, which is then closed.</summary>
    public string? Input { get; init; }
    /// <summary>Writes standard input itself (e.g. another process's output); the runner closes it after.</summary>
    public Func<Stream, CancellationToken, Task>? InputWriter { get; init; }
    /// <summary>When set, standard output is copied raw into this stream instead of being kept.</summary>
    public Stream? OutputStream { get; init; }
    /// <summary>Killed (exit code -1, <see cref="ProcessResult.TimedOut"/>) when it runs longer.</summary>
    public TimeSpan? Timeout { get; init; }
    /// <summary>Standard output and error, as they come, appended to this file (its folder is created).</summary>
    public string? LogFile { get; init; }
    /// <summary>Called for each line of output and error; a '\r' ends a line too (progress meters).</summary>
    public Action<string>? OnLine { get; init; }
    /// <summary>Characters kept in memory per stream: the first and the last half of it, the middle dropped and counted.</summary>
    public int OutputCap { get; init; } = 64 << 20;
}

public sealed record ProcessResult(int ExitCode, string Output, string Error, TimeSpan Duration)
{
    public bool TimedOut { get; init; }
    /// <summary>Characters of output and error left out of <see cref="Output"/> and <see cref="Error"/> by the cap.</summary>
    public long Dropped { get; init; }
    public bool Success => ExitCode == 0 && !TimedOut;
}

public interface IProcessRunner
{
    /// <summary>
    /// Runs the process to its end and returns what it printed. A cancellation kills its process group and throws
    /// <see cref="OperationCanceledException"/>; a timeout kills it and returns with <see cref="ProcessResult.TimedOut"/>.
    /// A program that cannot be started throws <see cref="ProcessStartException"/>.
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellation = default);
}

public sealed class ProcessStartException(string message, Exception? inner = null) : Exception(message, inner);
