using HmmCi.Selftests;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Selftests;

public class ConsoleLogTests
{
    [Fact]
    public void A_run_of_one_repeated_line_becomes_one_note_with_the_count_timestamps_aside()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("console.log");
        using (var log = new ConsoleLog(path))
        {
            log.Add("#  RUN           hmm.hmm_device_private.anon_read ...");
            for (var i = 0; i < 412_117 + 1; i++) log.Add("# hmm-tests.c:157:anon_read:Expected ret (-1) == 0");
            log.Add("[    5.100000] test_hmm: one");
            log.Add("[    5.200000] test_hmm: one");
            log.Add("ok 2 hmm.hmm_device_private.anon_write");
        }
        Assert.Equal(
        [
            "#  RUN           hmm.hmm_device_private.anon_read ...",
            "# hmm-tests.c:157:anon_read:Expected ret (-1) == 0",
            "[the previous line repeated 412,117 times]",
            "[    5.100000] test_hmm: one",
            "[the previous line repeated 1 times]",
            "ok 2 hmm.hmm_device_private.anon_write",
        ], File.ReadAllLines(path));
    }

    [Fact]
    public void A_flood_of_distinct_lines_keeps_the_first_and_last_parts_and_counts_what_was_left_out()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("console.log");
        long dropped;
        using (var log = new ConsoleLog(path, headBytes: 10_000, tailBytes: 10_000))
        {
            for (var i = 0; i < 1_000_000; i++) log.Add($"line {i}");
            dropped = log.DroppedLines;
        }
        var lines = File.ReadAllLines(path);
        Assert.InRange(new FileInfo(path).Length, 19_000, 21_000);
        Assert.Equal("line 0", lines[0]);
        Assert.Equal("line 999999", lines[^1]);
        var note = Assert.Single(lines, l => l.StartsWith("[... "));
        Assert.Equal($"[... {dropped:N0} lines", note[..note.IndexOf(" (", StringComparison.Ordinal)]);
        // Every line is either kept or counted.
        Assert.Equal(1_000_000, lines.Length - 1 + dropped);
    }
}
