using HmmCi.Processes;

namespace HmmCi.Kernel.Runtimes;

/// <summary>The run a container belongs to: HmmCi's label value and the process that started it.</summary>
public sealed record RunIdentity(string Id, int Pid)
{
    /// <summary>A fresh id for this process's run.</summary>
    public static RunIdentity New() => new($"{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}", Environment.ProcessId);
}

/// <summary>
/// Every container HmmCi starts carries <c>hmmci.run=&lt;run id&gt;</c> and <c>hmmci.pid=&lt;pid&gt;</c>, so that a run
/// removes all of its own (also after a timeout or a cancellation), and a later run removes those of runs whose
/// process is gone, never those of a run still alive (tests run side by side).
/// </summary>
public sealed class Containers(IProcessRunner runner, IReadOnlyList<DockerRuntime> engines)
{
    public const string RunLabel = "hmmci.run";
    public const string PidLabel = "hmmci.pid";

    public static IReadOnlyList<string> Labels(RunIdentity run) => ["--label", $"{RunLabel}={run.Id}", "--label", $"{PidLabel}={run.Pid}"];

    /// <summary>The engines installed here (podman, and docker when its CLI is on PATH), for clean-up after any run.</summary>
    public static Containers Installed(IProcessRunner runner, RunIdentity run) =>
        new(runner, new DockerRuntime[] { new PodmanRuntime(runner, run), new DockerRuntime(runner, run) }.Where(e => OnPath(e.Executable)).ToList());

    /// <summary>Removes every container of the run, running or not. Never throws: it runs on the way out.</summary>
    public async Task<int> RemoveRunAsync(string runId)
    {
        var removed = 0;
        foreach (var engine in engines)
            removed += await RemoveAsync(engine, await ListAsync(engine, $"label={RunLabel}={runId}", _ => true));
        return removed;
    }

    /// <summary>Removes the containers of earlier runs whose HmmCi process is gone.</summary>
    public async Task<int> RemoveOrphansAsync()
    {
        var removed = 0;
        foreach (var engine in engines)
            removed += await RemoveAsync(engine, await ListAsync(engine, $"label={RunLabel}", pid => !Alive(pid)));
        return removed;
    }

    /// <summary>The ids of the containers matching the filter whose recorded pid passes <paramref name="select"/>.</summary>
    public async Task<List<string>> ListAsync(DockerRuntime engine, string filter, Func<string, bool> select)
    {
        var result = await Run(engine, ["ps", "--all", "--no-trunc", "--filter", filter, "--format", $"{{{{.ID}}}} {{{{index .Labels \"{PidLabel}\"}}}}"]);
        if (result is not { Success: true }) return [];
        return result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' ', 2))
            .Where(parts => select(parts.Length > 1 ? parts[1] : ""))
            .Select(parts => parts[0])
            .ToList();
    }

    async Task<int> RemoveAsync(DockerRuntime engine, List<string> ids)
    {
        if (ids.Count == 0) return 0;
        var result = await Run(engine, ["rm", "--force", .. ids]);
        return result is { Success: true } ? ids.Count : 0;
    }

    async Task<ProcessResult?> Run(DockerRuntime engine, IEnumerable<string> arguments)
    {
        try
        {
            return await runner.RunAsync(engine.Cli(arguments) with { Timeout = TimeSpan.FromMinutes(2) }, CancellationToken.None);
        }
        catch (ProcessStartException)
        {
            return null;
        }
    }

    /// <summary>A pid that is not a number (a label someone else set) counts as alive: never remove what is not ours to judge.</summary>
    static bool Alive(string pid) => !int.TryParse(pid, out var id) || Directory.Exists($"/proc/{id}");

    static bool OnPath(string executable) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, executable)));
}
