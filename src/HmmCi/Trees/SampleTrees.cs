using CliWrap;
using CliWrap.Buffered;
using HmmCi.Config;

namespace HmmCi.Trees;

/// <summary>Runs the config's sample script, which generates the trees once and reuses them after.</summary>
public static class SampleTrees
{
    public static async Task GenerateAsync(SampleConfig sample, Action<string> progress)
    {
        if (!File.Exists(sample.Script)) throw new FileNotFoundException($"sample script {sample.Script} not found");
        var result = await Cli.Wrap("bash").WithArguments([sample.Script, sample.Output])
            .WithStandardErrorPipe(PipeTarget.ToDelegate(progress))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{sample.Script} exited with {result.ExitCode}");
    }
}
