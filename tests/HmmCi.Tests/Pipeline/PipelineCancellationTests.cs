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
        var pids = _scenario.Directory.Combine("pids");
        var script = _scenario.Directory.WriteFile("slow-sample.sh",
            $"echo \"$$\" > {pids}.script\nsleep 300 &\necho \"$!\" > {pids}.sleep\necho 'sample: extracting' >&2\nwait\n");
        var config = _scenario.WriteConfig([("rdma", "master")], extra: $"sample: {{ script: {script}, output: out }}\n");
        var output = _scenario.Directory.Combine("artifacts");
        using var pipeline = Start("Fetch", "--config", config, "--output", output, "--workspace", _scenario.Directory.Combine("workspace"));
        var printed = pipeline.StandardOutput.ReadToEndAsync();
        var errors = pipeline.StandardError.ReadToEndAsync();

        var sleeper = await Pid($"{pids}.sleep", pipeline);
        var scriptPid = await Pid($"{pids}.script", pipeline);
        Assert.Equal(0, kill(pipeline.Id, signal));
        var exited = pipeline.WaitForExitAsync();
        var finished = await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) == exited;
        if (!finished) pipeline.Kill(entireProcessTree: true);

        Assert.True(finished, $"the pipeline did not exit after {name}: {await printed}");
        Assert.Equal(PipelineBuild.ExitCancelled, pipeline.ExitCode);
        Assert.Contains($"{name}: cancelling the run", await printed);
        Assert.False(Alive(sleeper), $"the sample's sleep {sleeper} survived");
        Assert.Empty(InGroup(scriptPid));

        var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))).RootElement;
        var stages = report.GetProperty("stages").EnumerateArray().ToDictionary(s => s.GetProperty("name").GetString()!);
        Assert.Equal("pass", stages["Prerequisites"].GetProperty("status").GetString());
        Assert.Equal("cancelled", stages["Sample"].GetProperty("status").GetString());
        Assert.StartsWith($"{name} after ", stages["Sample"].GetProperty("reason").GetString());
        Assert.Equal("cancelled", stages["Fetch"].GetProperty("status").GetString());
        Assert.Equal($"{name}, before it started", stages["Fetch"].GetProperty("reason").GetString());
        Assert.Equal("not-ready", report.GetProperty("verdict").GetString());
        Assert.Contains(report.GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith($"stage Sample: cancelled ({name} after ", StringComparison.Ordinal));
        Assert.DoesNotContain("error", await errors);
    }

    [Fact]
    public async Task A_second_signal_stops_at_once_and_still_leaves_no_process_behind()
    {
        // A stage that does not stop when told (it ignores SIGTERM): the runner would wait its grace period for it.
        var pids = _scenario.Directory.Combine("pids");
        var script = _scenario.Directory.WriteFile("stubborn-sample.sh",
            $"trap '' TERM\necho \"$$\" > {pids}.script\nsleep 300 &\necho \"$!\" > {pids}.sleep\nwait\nwait\n");
        var config = _scenario.WriteConfig([("rdma", "master")], extra: $"sample: {{ script: {script}, output: out }}\n");
        var output = _scenario.Directory.Combine("artifacts");
        using var pipeline = Start("Fetch", "--config", config, "--output", output, "--workspace", _scenario.Directory.Combine("workspace"));
        var printed = pipeline.StandardOutput.ReadToEndAsync();
        _ = pipeline.StandardError.ReadToEndAsync();

        var sleeper = await Pid($"{pids}.sleep", pipeline);
        var scriptPid = await Pid($"{pids}.script", pipeline);
        Assert.Equal(0, kill(pipeline.Id, 15));
        await Task.Delay(500);
        Assert.Equal(0, kill(pipeline.Id, 15));
        var exited = pipeline.WaitForExitAsync();
        var finished = await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(60))) == exited;
        if (!finished) pipeline.Kill(entireProcessTree: true);

        Assert.True(finished, $"the pipeline did not exit after a second SIGTERM: {await printed}");
        Assert.Equal(PipelineBuild.ExitCancelled, pipeline.ExitCode);
        Assert.Contains("SIGTERM again: stopping at once, without the report", await printed);
        Assert.False(File.Exists(Path.Combine(output, "report.json")));
        await Task.Delay(200);
        Assert.False(Alive(sleeper), $"the sample's sleep {sleeper} survived");
        Assert.Empty(InGroup(scriptPid));
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
