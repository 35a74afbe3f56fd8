using System.IO.Compression;
using HmmCi.Reports;
using HmmCi.Selftests;

namespace HmmCi.Tests.Selftests;

/// <summary>
/// KtapParser on real consoles captured from QEMU (tests/HmmCi.Tests/Selftests/Data: v6.1 with tinyconfig +
/// hmm-min.config under TCG, and the same with the sample's T5), and on the formats kselftest.h and runner.sh print.
/// </summary>
public class KtapParserTests
{
    public static string DataFile(string name) => Path.Combine(AppContext.BaseDirectory, "Selftests", "Data", name);

    static string Status(KtapTest t) => t.Status.ToString().ToLowerInvariant();

    [Fact]
    public void The_v61_console_gives_every_hmm_test_with_the_harness_totals()
    {
        var result = KtapParser.Parse(File.ReadAllLines(DataFile("qemu-tcg-v6.1.console.log")));
        var tests = result.Leaves().ToList();
        Assert.True(result.Complete);
        Assert.Equal("TAP version 13", result.Version);
        Assert.Equal(58, result.Plan);
        Assert.Equal(Enumerable.Range(1, 58), tests.Select(t => t.Number));
        Assert.Equal(new KtapTotals(52, 4, 0, 0, 2, 0), result.Totals);
        Assert.Equal(52, tests.Count(t => t.Status == TestStatus.Pass));
        Assert.Equal(["hmm.hmm_device_private.anon_write_huge", "hmm.hmm_device_private.exclusive",
            "hmm.hmm_device_private.exclusive_mprotect", "hmm.hmm_device_private.exclusive_cow"],
            tests.Where(t => t.Status == TestStatus.Fail).Select(t => t.Name));
        // "ok 9 # SKIP reason" has no description: the harness's RUN line names it.
        var skipped = tests.Where(t => t.Status == TestStatus.Skip).ToList();
        Assert.Equal(["hmm.hmm_device_private.anon_write_hugetlbfs", "hmm.hmm_device_private.hmm_gup_test"], skipped.Select(t => t.Name));
        Assert.Equal("Huge page could not be allocated", skipped[0].Reason);
        Assert.All(tests, t => Assert.Matches(@"^hmm2?\.hmm2?_device_(private|coherent)\.\w+$", t.Name));
    }

    [Fact]
    public void A_failed_assertion_keeps_its_lines_as_the_tests_diagnostics()
    {
        var result = KtapParser.Parse(File.ReadAllLines(DataFile("qemu-tcg-v6.1-t5.console.log")));
        var anonRead = result.Leaves().Single(t => t.Name == "hmm.hmm_device_private.anon_read");
        Assert.Equal(TestStatus.Fail, anonRead.Status);
        Assert.Equal(2, anonRead.Number);
        Assert.Contains(anonRead.Diagnostics, d => d.EndsWith("hmm-tests.c:334:anon_read:Expected buffer->cpages (1023) == npages (1024)"));
        Assert.Contains("# anon_read: Test terminated by assertion", anonRead.Diagnostics);
        Assert.Equal(new KtapTotals(38, 18, 0, 0, 2, 0), result.Totals);
        // A kernel message printed in the middle of a test stays with that test.
        var teardown = result.Leaves().Single(t => t.Name == "hmm.hmm_device_private.anon_teardown");
        Assert.Contains("random: hmm-tests: uninitialized urandom read (4 bytes read)", teardown.Diagnostics);
    }

    [Fact]
    public void Output_that_stops_midway_makes_the_planned_tests_missing_and_the_running_one_named()
    {
        var lines = File.ReadAllLines(DataFile("qemu-tcg-v6.1.console.log"));
        var cut = Array.FindIndex(lines, l => l.StartsWith("#  RUN           hmm.hmm_device_private.anon_write ...", StringComparison.Ordinal));
        var result = KtapParser.Parse(lines.Take(cut + 1));
        var tests = result.Leaves().ToList();
        Assert.False(result.Complete);
        Assert.Equal(58, tests.Count);
        Assert.Equal(3, tests.Count(t => t.Status == TestStatus.Pass));
        Assert.Equal(55, tests.Count(t => t.Status == TestStatus.Missing));
        Assert.Equal("hmm.hmm_device_private.anon_write", tests[3].Name);
        Assert.Equal("#5", tests[4].Name);
    }

    [Fact]
    public void The_unfixed_61_harness_flood_is_collapsed_in_the_tests_diagnostics()
    {
        using var file = new GZipStream(File.OpenRead(DataFile("qemu-tcg-v6.1-t5-unfixed-harness.console.log.gz")), CompressionMode.Decompress);
        using var reader = new StreamReader(file);
        var parser = new KtapParser();
        while (reader.ReadLine() is { } line) parser.Feed(line);
        Assert.Equal("hmm.hmm_device_private.anon_read", parser.Running);
        var result = parser.Finish(TestStatus.Timeout);
        var anonRead = result.Leaves().Single(t => t.Number == 2);
        Assert.Equal(("hmm.hmm_device_private.anon_read", TestStatus.Timeout), (anonRead.Name, anonRead.Status));
        Assert.InRange(anonRead.Diagnostics.Count, 3, KtapParser.DiagnosticCap + 1);
        Assert.Contains(anonRead.Diagnostics, d => d.StartsWith("[the previous line repeated ", StringComparison.Ordinal));
        Assert.Equal(56, result.Leaves().Count(t => t.Status == TestStatus.Missing));
    }

    [Fact]
    public void Runner_sh_nests_each_programs_tap_behind_a_hash_and_the_directives_kselftest_prints_are_read()
    {
        // What tools/testing/selftests/kselftest/runner.sh and kselftest.h print (ksft_test_result_xfail/_error/_skip).
        var result = KtapParser.Parse("""
            TAP version 13
            1..3
            # selftests: vm: hmm-tests
            # TAP version 13
            # 1..2
            # ok 1 hmm.hmm_device_private.open_close
            # not ok 2 hmm.hmm_device_private.anon_read
            not ok 1 selftests: vm: hmm-tests # exit=1
            # selftests: vm: ksft
            # TAP version 13
            # 1..4
            # ok 1 # XFAIL expected to fail
            # not ok 2 # error broken setup
            # ok 3 # SKIP not here
            # not ok 4 slow # TODO not yet
            ok 2 selftests: vm: ksft
            # selftests: vm: run_vmtests.sh
            not ok 3 selftests: vm: run_vmtests.sh # TIMEOUT 45 seconds
            """);
        Assert.Equal(
        [
            "selftests: vm: hmm-tests.hmm.hmm_device_private.open_close pass",
            "selftests: vm: hmm-tests.hmm.hmm_device_private.anon_read fail",
            "selftests: vm: ksft.#1 xfail",
            "selftests: vm: ksft.#2 error",
            "selftests: vm: ksft.#3 skip",
            "selftests: vm: ksft.slow xfail",
            "selftests: vm: run_vmtests.sh timeout",
        ], result.Leaves().Select(t => $"{t.Name} {Status(t)}"));
        Assert.True(result.Complete);
        Assert.Equal(TestStatus.Fail, result.Tests[0].Status);
    }

    [Fact]
    public void Garbage_never_throws_and_stays_diagnostics()
    {
        var random = new Random(1);
        const string alphabet = "ok not#1.. \t[]TAPKversion0123456789-";
        var noise = Enumerable.Range(0, 2000).Select(_ => new string(Enumerable.Range(0, random.Next(0, 40))
            .Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        var result = KtapParser.Parse(noise.Prepend("1..3").Append("ok 7 beyond the plan").Append("Bail out! disk on fire"));
        Assert.Equal("disk on fire", result.BailOut);
        Assert.False(result.Complete);
        Assert.Empty(KtapParser.Parse("").Tests);
        Assert.False(KtapParser.Parse("just a kernel log\nno tap here").Complete);
    }
}
