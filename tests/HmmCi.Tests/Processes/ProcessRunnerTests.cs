using HmmCi.Processes;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Processes;

public class ProcessRunnerTests
{
    static readonly ProcessRunner Runner = ProcessRunner.Default;

    static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    [Fact]
    public async Task Returns_exit_code_output_and_error_and_streams_lines_to_the_callback_and_the_log()
    {
        using var temp = new TempDirectory();
        var log = Path.Combine(temp.Path, "logs", "run.log");
        var lines = new List<string>();
        var result = await Runner.RunAsync(new ProcessSpec("bash", ["-c", "echo one; echo two >&2; printf 'a\\rb\\n'; exit 3"])
        {
            LogFile = log,
            OnLine = l => { lock (lines) lines.Add(l); },
        });
        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Success);
        Assert.Equal("one\na\rb\n", result.Output);
        Assert.Equal("two\n", result.Error);
        Assert.Equal(["a", "b", "one", "two"], lines.Order());
        Assert.Contains("one", File.ReadAllText(log));
        Assert.Contains("two", File.ReadAllText(log));
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_group_including_background_children()
    {
        using var temp = new TempDirectory();
        var pidFile = Path.Combine(temp.Path, "pid");
        var result = await Runner.RunAsync(new ProcessSpec("bash", ["-c", $"sleep 300 & echo $! > {pidFile}; wait"])
        {
            Timeout = TimeSpan.FromSeconds(1),
        });
        Assert.True(result.TimedOut);
        var background = int.Parse(File.ReadAllText(pidFile).Trim());
        await Task.Delay(200);
        Assert.False(Alive(background), $"background sleep {background} survived the timeout");
    }

    [Fact]
    public async Task Cancellation_kills_the_group_and_throws()
    {
        using var temp = new TempDirectory();
        var pidFile = Path.Combine(temp.Path, "pid");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Runner.RunAsync(new ProcessSpec("bash", ["-c", $"sleep 300 & echo $! > {pidFile}; wait"]), cancel.Token));
        await Task.Delay(200);
        Assert.False(Alive(int.Parse(File.ReadAllText(pidFile).Trim())));
    }

    [Fact]
    public async Task Output_over_the_cap_keeps_its_first_and_last_parts_and_counts_what_was_left_out()
    {
        var result = await Runner.RunAsync(new ProcessSpec("bash", ["-c", "echo FIRST; yes flood | head -n 100000; echo LAST"])
        {
            OutputCap = 1000,
        });
        Assert.True(result.Success);
        Assert.StartsWith("FIRST\n", result.Output);
        Assert.EndsWith("LAST\n", result.Output);
        Assert.True(result.Output.Length < 1200, $"kept {result.Output.Length} characters");
        Assert.True(result.Dropped > 500_000);
        Assert.Contains("characters left out", result.Output);
    }

    [Fact]
    public async Task Input_reaches_standard_input_and_output_can_stream_into_another_process()
    {
        var echoed = await Runner.RunAsync(new ProcessSpec("cat", []) { Input = "hello\n" });
        Assert.Equal("hello\n", echoed.Output);

        var counted = await Runner.RunAsync(new ProcessSpec("wc", ["-l"])
        {
            InputWriter = async (stdin, token) => await Runner.RunAsync(new ProcessSpec("seq", ["1", "5000"]) { OutputStream = stdin }, token),
        });
        Assert.Equal("5000", counted.Output.Trim());
    }

    [Fact]
    public async Task A_missing_program_is_said_plainly()
    {
        var e = await Assert.ThrowsAsync<ProcessStartException>(() => Runner.RunAsync(new ProcessSpec("no-such-program-hmmci", [])));
        Assert.Equal("no-such-program-hmmci: command not found", e.Message);
    }
}
