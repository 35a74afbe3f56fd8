using HmmCi.Selftests;

namespace HmmCi.Tests.Selftests;

public class KernelProblemsTests
{
    // Console lines in the kernel's own formats (lib/bug.c, kernel/panic.c, arch/x86/mm/fault.c, kernel/hung_task.c).
    [Theory]
    [InlineData("[   12.345678] WARNING: CPU: 0 PID: 63 at mm/memremap.c:149 memunmap_pages+0x2b6/0x2d0", "WARNING")]
    [InlineData("[   13.000001] BUG: kernel NULL pointer dereference, address: 0000000000000008", "BUG")]
    [InlineData("[   13.000002] Oops: 0000 [#1] PREEMPT SMP NOPTI", "oops")]
    [InlineData("[   13.000003] general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP", "oops")]
    [InlineData("[   13.000004] kernel BUG at mm/huge_memory.c:2464!", "BUG")]
    [InlineData("[  123.456789] INFO: task hmm-tests:70 blocked for more than 120 seconds.", "hung task")]
    [InlineData("[   14.000000] Kernel panic - not syncing: Fatal exception", "panic")]
    [InlineData("[   22.000000] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [hmm-tests:71]", "BUG")]
    [InlineData("#  RUN           hmm.hmm_device_private.anon_read ...", null)]
    [InlineData("[    0.000000] Linux version 6.1.0 (root@host) (gcc (Debian 12.2.0-14) 12.2.0) #1", null)]
    public void Classifies_console_lines(string line, string? kind) =>
        Assert.Equal(kind, KernelProblems.Classify(HmmCi.Selftests.KtapParser.StripConsolePrefix(line)));

    [Fact]
    public void A_problem_keeps_its_trace_up_to_the_end_marker_and_names_the_running_test()
    {
        var problems = new KernelProblems();
        string[] console =
        [
            "[   12.345678] WARNING: CPU: 0 PID: 63 at mm/memremap.c:149 memunmap_pages+0x2b6/0x2d0",
            "[   12.345679] Modules linked in:",
            "[   12.345680] CPU: 0 PID: 63 Comm: hmm-tests Not tainted 6.1.0 #1",
            "[   12.345690] ---[ end trace 0000000000000000 ]---",
            "ok 12 hmm.hmm_device_private.migrate",
        ];
        foreach (var line in console) problems.Feed(line, "hmm.hmm_device_private.migrate");
        var problem = Assert.Single(problems.Found);
        Assert.Equal("WARNING", problem.Kind);
        Assert.Equal("hmm.hmm_device_private.migrate", problem.Test);
        Assert.Equal(4, problem.Lines.Count);
        Assert.StartsWith("---[ end trace", problem.Lines[^1]);
    }
}
