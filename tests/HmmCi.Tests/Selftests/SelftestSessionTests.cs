using System.Diagnostics;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Selftests;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Selftests;

/// <summary>The watchdog, the run timeout and the console cap on real processes through <c>runner: command</c>.</summary>
public class SelftestSessionTests
{
    static SelftestBoot Boot => new("rdma", "merged", "/nonexistent/bzImage", "/nonexistent/hmm-tests", "/nonexistent/initramfs");

    static bool Alive(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    const string Header = """
        echo 'TAP version 13'
        echo '1..4'
        echo '# Starting 4 tests from 1 test cases.'
        echo '#  RUN           hmm.hmm_device_private.open ...'
        echo '#            OK  hmm.hmm_device_private.open'
        echo 'ok 1 hmm.hmm_device_private.open'
        echo '#  RUN           hmm.hmm_device_private.anon_read ...'

        """;

    [Fact]
    public async Task A_console_that_hangs_is_stopped_by_the_watchdog_the_running_test_times_out_and_the_rest_are_missing()
    {
        using var temp = new TempDirectory();
        var pidFile = temp.Combine("sleep.pid");
        var machine = new CommandMachine(ProcessRunner.Default, Header + $"sleep 600 & echo $! > {pidFile}; wait");
        var clock = Stopwatch.StartNew();
        var outcome = await new SelftestSession(machine, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5))
            .RunAsync(Boot, temp.Combine("console.log"), null, CancellationToken.None);
        Assert.InRange(clock.Elapsed.TotalSeconds, 1.5, 20);
        Assert.Equal(StageStatus.Error, outcome.Status);
        Assert.Equal("no new result for 2 s: hmm.hmm_device_private.anon_read timed out and the machine was stopped; 2 tests never ran", outcome.Reason);
        Assert.Equal(["hmm.hmm_device_private.open pass", "hmm.hmm_device_private.anon_read timeout", "#3 missing", "#4 missing"],
            outcome.Tests.Select(t => $"{t.Name} {t.Status.ToString().ToLowerInvariant()}"));
        Assert.False(Alive(int.Parse(File.ReadAllText(pidFile).Trim())), "the command's children are killed with it");
        Assert.Contains("#  RUN           hmm.hmm_device_private.anon_read ...", File.ReadAllLines(temp.Combine("console.log")));
    }

    [Fact]
    public async Task A_console_that_floods_stays_within_the_cap_and_the_watchdog_still_stops_it()
    {
        using var temp = new TempDirectory();
        // The 6.1 harness's teardown loop: one assertion line over and over, then 6 MB of distinct lines, then silence.
        var machine = new CommandMachine(ProcessRunner.Default,
            Header + "exec 2>/dev/null; yes '# hmm-tests.c:157:anon_read:Expected ret (-1) == 0' | head -n 50000; yes \"$(printf 'x%.0s' $(seq 200))\" | cat -n | head -n 30000; sleep 600");
        var console = temp.Combine("console.log");
        var outcome = await new SelftestSession(machine, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5))
            .RunAsync(Boot, console, null, CancellationToken.None);
        Assert.Equal(StageStatus.Error, outcome.Status);
        Assert.StartsWith("no new result for 10 s: hmm.hmm_device_private.anon_read timed out", outcome.Reason);
        Assert.True(outcome.ConsoleLines == 80_007, $"{outcome.ConsoleLines} lines read");
        Assert.InRange(new FileInfo(console).Length, 1 << 20, (2 << 20) + 4096);
        var lines = File.ReadAllLines(console);
        Assert.Contains("[the previous line repeated 49,999 times]", lines);
        Assert.Single(lines, l => l.StartsWith("[... ") && l.EndsWith(" left out by HmmCi's console cap ...]"));
        // The test's own diagnostics are collapsed and capped as well.
        var anonRead = outcome.Tests.Single(t => t.Name == "hmm.hmm_device_private.anon_read");
        Assert.InRange(anonRead.Diagnostics.Count, 3, KtapParser.DiagnosticCap + 1);
        Assert.Equal("[the previous line repeated 49,999 times]", anonRead.Diagnostics[2]);
    }

    [Fact]
    public async Task A_kernel_that_never_reaches_the_start_marker_is_a_boot_timeout_with_the_last_console_lines()
    {
        using var temp = new TempDirectory();
        var machine = new SelftestFixtures.Booting("echo 'Linux version 6.1.192'; echo 'TAP version 13'; echo 'ok 1 a kunit test'; echo 'Freeing unused kernel image memory: 1234K'; sleep 600");
        var outcome = await new SelftestSession(machine, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5))
            .RunAsync(Boot, temp.Combine("console.log"), null, CancellationToken.None);
        Assert.Equal(StageStatus.Error, outcome.Status);
        Assert.Equal("boot timeout: no start marker within 2 s; last console lines: Linux version 6.1.192 | TAP version 13 | ok 1 a kunit test | Freeing unused kernel image memory: 1234K", outcome.Reason);
        Assert.Empty(outcome.Tests);
    }

    [Fact]
    public async Task A_cancelled_run_kills_the_machine_and_throws()
    {
        using var temp = new TempDirectory();
        var pidFile = temp.Combine("sleep.pid");
        var machine = new CommandMachine(ProcessRunner.Default, Header + $"sleep 600 & echo $! > {pidFile}; wait");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new SelftestSession(machine, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5)).RunAsync(Boot, temp.Combine("console.log"), null, cancel.Token));
        Assert.False(Alive(int.Parse(File.ReadAllText(pidFile).Trim())));
        Assert.Contains("ok 1 hmm.hmm_device_private.open", File.ReadAllLines(temp.Combine("console.log")));
    }

    [Fact]
    public async Task The_run_timeout_stops_a_console_that_keeps_reporting()
    {
        using var temp = new TempDirectory();
        var machine = new CommandMachine(ProcessRunner.Default,
            "echo 'TAP version 13'; echo '1..1000'; for i in $(seq 1 1000); do echo \"ok $i t$i\"; sleep 0.2; done");
        var outcome = await new SelftestSession(machine, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2))
            .RunAsync(Boot, temp.Combine("console.log"), null, CancellationToken.None);
        Assert.Equal(StageStatus.Error, outcome.Status);
        Assert.Matches(@"^run timeout \(2 s\): 9\d\d tests never ran$", outcome.Reason);
    }

    [Fact]
    public async Task The_command_gets_the_kernel_initramfs_selftest_tree_kind_and_commit_in_its_environment()
    {
        using var temp = new TempDirectory();
        var machine = new CommandMachine(ProcessRunner.Default,
            "echo 'TAP version 13'; echo 1..1; echo \"# $HMMCI_KERNEL $HMMCI_INITRAMFS $HMMCI_SELFTEST $HMMCI_TREE $HMMCI_KIND $HMMCI_COMMIT\"; echo ok 1 env");
        var outcome = await new SelftestSession(machine, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1))
            .RunAsync(Boot with { Commit = "0123456789ab" }, temp.Combine("console.log"), null, CancellationToken.None);
        Assert.Equal(StageStatus.Pass, outcome.Status);
        Assert.Null(outcome.Reason);
        Assert.Equal("# /nonexistent/bzImage /nonexistent/initramfs /nonexistent/hmm-tests rdma merged 0123456789ab",
            Assert.Single(outcome.Tests).Diagnostics.Single());
    }

    [Fact]
    public async Task A_run_asked_to_stop_after_some_tests_stops_once_they_reported()
    {
        using var temp = new TempDirectory();
        var machine = new CommandMachine(ProcessRunner.Default,
            "echo 'TAP version 13'; echo 1..3; echo ok 1 a; echo not ok 2 b; sleep 600; echo ok 3 c");
        var clock = Stopwatch.StartNew();
        var outcome = await new SelftestSession(machine, TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(5))
            .RunAsync(Boot, temp.Combine("console.log"), new HashSet<string> { "b" }, CancellationToken.None);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30));
        Assert.Equal(StageStatus.Fail, outcome.Status);
        Assert.Equal("stopped once the tests asked for had reported", outcome.Reason);
        Assert.Equal(TestStatus.Fail, outcome.Tests.Single(t => t.Name == "b").Status);
    }
}
