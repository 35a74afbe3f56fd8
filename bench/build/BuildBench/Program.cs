using HmmCi.Kernel;
using HmmCi.Kernel.Runtimes;
using HmmCi.Processes;

// Makes sure the kernel build image exists (the one-time image creation the benchmark leaves out) through the same
// runtime class the Build stage uses, and prints its tag. Usage: BuildBench image LOGFILE
if (args is not ["image", var log]) { Console.Error.WriteLine("usage: BuildBench image LOGFILE"); return 2; }
var runtime = new PodmanRuntime(ProcessRunner.Default, RunIdentity.New());
try
{
    await runtime.PrepareAsync(log, Console.Error.WriteLine, CancellationToken.None);
}
catch (RuntimeUnavailableException e)
{
    Console.Error.WriteLine($"bench: {e.Message}");
    return 2;
}
Console.WriteLine(BuildImage.Tag);
return 0;
