using System.Text.Json;
using HmmCi.Build;
using HmmCi.Build.Engine;

namespace HmmCi.Tests.Fixtures;

/// <summary>Runs the real pipeline in-process, with captured host output and a controlled environment.</summary>
public sealed class PipelineRun
{
    public required int ExitCode { get; init; }
    public required RecordingHost Host { get; init; }
    public required string OutputDirectory { get; init; }

    public JsonElement Report => JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(OutputDirectory, "report.json"))).RootElement;

    public static PipelineRun Execute(TempDirectory directory, IReadOnlyDictionary<string, string>? environment = null, params string[] args)
    {
        var host = new RecordingHost();
        var outputIndex = Array.IndexOf(args, "--output");
        var output = outputIndex >= 0 ? args[outputIndex + 1] : environment?.GetValueOrDefault("HMMCI_OUTPUT");
        var allArgs = args.Concat(output is null ? ["--output", output = directory.Combine("artifacts")] : Array.Empty<string>())
            .Concat(args.Contains("--workspace") ? [] : ["--workspace", directory.Combine("workspace")]).ToArray();
        var exit = new HmmCi.Build.Pipeline().Run(allArgs, name => environment?.GetValueOrDefault(name), host);
        return new PipelineRun { ExitCode = exit, Host = host, OutputDirectory = output };
    }
}

public sealed class RecordingHost : IBuildHost
{
    public List<string> Lines { get; } = [];
    public List<string> Errors { get; } = [];
    public void BeginTarget(string name) => Lines.Add($"[{name}]");
    public void EndTarget(string name) { }
    public void Info(string message) => Lines.Add(message);
    public void Warning(string message, string? file = null, int? line = null) => Lines.Add($"warning: {message}");
    public void Error(string message, string? file = null, int? line = null) { Lines.Add($"error: {message}"); Errors.Add(message); }
}
