using HmmCi.Config;
using HmmCi.Processes;

namespace HmmCi.Trees;

/// <summary>Runs the config's sample script, which generates the trees once and reuses them after.</summary>
public static class SampleTrees
{
    public static async Task GenerateAsync(SampleConfig sample, Action<string> progress, CancellationToken cancellation = default,
        IProcessRunner? runner = null)
    {
        if (!File.Exists(sample.Script)) throw new FileNotFoundException($"sample script {sample.Script} not found");
        var result = await (runner ?? ProcessRunner.Default).RunAsync(new ProcessSpec("bash", [sample.Script, sample.Output])
        {
            // The script reports its progress on stderr; stdout is left to the commands it runs.
            OutputStream = Stream.Null,
            OnLine = progress,
        }, cancellation);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{sample.Script} exited with {result.ExitCode}");
    }
}
