using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using HmmCi.Build.Engine;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Pipeline;

/// <summary>The built pipeline as its own process, sent the signals a terminal (Ctrl-C) and a CI runner (SIGTERM) send.</summary>
public class PipelineCancellationTests : IDisposable
{
    private readonly TopicScenario _scenario = new();

    public PipelineCancellationTests()
    {
        _scenario.Branch("hmm");
        _scenario.Upstream.Commit("mm/hmm: tidy hmm_range_fault()\n\nSigned-off-by: Alice Author <alice@example.org>\n", "mm/hmm.c", "int hmm_range_fault(void) { return 1; }\n");
        _scenario.Upstream.Checkout("master");
    }

    public void Dispose() => _scenario.Dispose();

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(2, "SIGINT")]
    public async Task A_signal_during_a_stage_kills_its_processes_writes_the_report_and_exits_130(int signal, string name)
    {
        // A sample script that takes its time, as the first extraction of linux-source does, with a child of its own.
        using var run = await SampleRun.StartAsync(_scenario, "echo 'sample: extracting' >&2");

        Assert.True(await run.SignalAsync(signal), $"the pipeline did not exit after {name}: {await run.Printed}");

        Assert.Equal(PipelineBuild.ExitCancelled, run.Pipeline.ExitCode);
        Assert.Contains($"{name}: cancelling the run", await run.Printed);
        run.AssertNothingLeft();
        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Output, "report.json"))).RootElement;
        var stages = report.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal("pass", stages["Prerequisites"].GetProperty("status").GetString());
        Assert.Equal("cancelled", stages["Sample"].GetProperty("status").GetString());
        Assert.StartsWith($"{name} after ", stages["Sample"].GetProperty("reason").GetString());
        Assert.Equal("cancelled", stages["Fetch"].GetProperty("status").GetString());
        Assert.Equal($"{name}, before it started", stages["Fetch"].GetProperty("reason").GetString());
        Assert.Equal("incomplete", report.GetProperty("verdict").GetString());
        Assert.Contains(report.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith($"stage Sample: cancelled ({name} after ", StringComparison.Ordinal));
        Assert.DoesNotContain("error", await run.Errors);
    }

    [Fact]
    public async Task A_second_signal_stops_at_once_and_still_leaves_no_process_behind()
    {
        // A stage that does not stop when told (it ignores SIGTERM): the runner would wait its grace period for it.
        using var run = await SampleRun.StartAsync(_scenario, "trap '' TERM");

        Assert.True(await run.SignalAsync(15, 15), $"the pipeline did not exit after a second SIGTERM: {await run.Printed}");

        Assert.Equal(PipelineBuild.ExitCancelled, run.Pipeline.ExitCode);
        Assert.Contains("SIGTERM again: stopping at once, without the report", await run.Printed);
        Assert.False(File.Exists(Path.Combine(run.Output, "report.json")));
        await Task.Delay(200);
        run.AssertNothingLeft();
    }

    /// <summary>The pipeline run up to Fetch, caught in its Sample stage: a script that sleeps with a child of its own.</summary>
    private sealed class SampleRun : IDisposable
    {
        public required Process Pipeline { get; init; }
        public required Task<string> Printed { get; init; }
        public required Task<string> Errors { get; init; }
        public required string Output { get; init; }
        private int Script { get; set; }
        private int Sleeper { get; set; }

        public static async Task<SampleRun> StartAsync(TopicScenario scenario, string prologue)
        {
            var pids = scenario.Directory.Combine("pids");
            var script = scenario.Directory.WriteFile("slow-sample.sh",
                $"{prologue}\necho \"$$\" > {pids}.script\nsleep 300 &\necho \"$!\" > {pids}.sleep\nwait\nwait\n");
            var config = scenario.WriteConfig([("rdma", "master")], extra: $"sample: {{ script: {script}, output: out }}\n");
            var output = scenario.Directory.Combine("artifacts");
            var pipeline = Start("Fetch", "--config", config, "--output", output, "--workspace", scenario.Directory.Combine("workspace"));
            var run = new SampleRun
            {
                Pipeline = pipeline, Output = output,
                Printed = pipeline.StandardOutput.ReadToEndAsync(), Errors = pipeline.StandardError.ReadToEndAsync(),
            };
            run.Sleeper = await Pid($"{pids}.sleep", pipeline);
            run.Script = await Pid($"{pids}.script", pipeline);
            return run;
        }

        /// <summary>Sends the signals half a second apart; whether the pipeline then exited within a minute.</summary>
        public async Task<bool> SignalAsync(params int[] signals)
        {
            foreach (var (signal, i) in signals.Select((s, i) => (s, i)))
            {
                if (i > 0) await Task.Delay(500);
                Assert.Equal(0, kill(Pipeline.Id, signal));
            }
            var exited = Pipeline.WaitForExitAsync();
            return await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) == exited;
        }

        public void AssertNothingLeft()
        {
            Assert.False(Alive(Sleeper), $"the sample's sleep {Sleeper} survived");
            Assert.Empty(InGroup(Script));
        }

        public void Dispose()
        {
            if (!Pipeline.HasExited) Pipeline.Kill(entireProcessTree: true);
            Pipeline.Dispose();
        }
    }

    private static Process Start(params string[] args)
    {
        // The pipeline as build.sh runs it: dotnet _build.dll, here the copy built next to the tests. SIGINT as a terminal's
        // foreground job has it: a test host started in the background inherits SIGINT ignored, as every background job does.
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "_build.dll") }) start.ArgumentList.Add(arg);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var key in new[] { "GITHUB_ACTIONS", "HMMCI_CONFIG", "HMMCI_OUTPUT", "HMMCI_WORKSPACE", "HMMCI_TREE" }) start.Environment.Remove(key);
        return Process.Start(start)!;
    }

    /// <summary>Waits for the script to write a pid; fails early if the pipeline ends first.</summary>
    private static async Task<int> Pid(string file, Process pipeline)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !pipeline.HasExited)
        {
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var pid)) return pid;
            await Task.Delay(50);
        }
        throw new InvalidOperationException($"{file} never appeared (pipeline exited: {pipeline.HasExited})");
    }

    private static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    /// <summary>Live processes whose process group is the given one (the runner starts each child in a group of its own).</summary>
    private static List<int> InGroup(int group) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && Stat(pid) is { } stat && stat.Group == group && stat.State != 'Z')
            .ToList();

    private static (char State, int Group)? Stat(int pid)
    {
        try
        {
            // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'.
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[2]));
        }
        catch (IOException)
        {
            return null;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
