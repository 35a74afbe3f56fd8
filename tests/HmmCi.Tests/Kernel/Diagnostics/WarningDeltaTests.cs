using HmmCi.Kernel.Diagnostics;
using HmmCi.Reports;
using static HmmCi.Tests.Kernel.Diagnostics.CompilerDiagnosticsTests;

namespace HmmCi.Tests.Kernel.Diagnostics;

public class WarningDeltaTests
{
    private const string Kernel = "/tmp/diag-linux/linux-source-6.1";

    private static BuildLog Kbuild(string name) => CompilerDiagnostics.Parse(Log("kernel/" + name), Kernel);

    [Fact]
    public void A_new_warning_is_new_and_the_baselines_warnings_that_moved_down_are_not()
    {
        var baseline = Kbuild("test_hmm-gcc-baseline.log");
        var merged = Kbuild("test_hmm-gcc-warning.log");

        var fresh = WarningDelta.New(merged.Warnings, baseline.Warnings);

        // The frame-size warnings moved from 1013/1092 to 1014/1093: the same warnings.
        Assert.Equal(["warning lib/test_hmm.c:165:13 -Wunused-variable unused variable ‘unused_count’"], fresh.Select(Describe));
    }

    [Fact]
    public void The_errors_of_a_broken_merge_are_all_new_against_a_baseline_that_builds()
    {
        var baseline = Kbuild("test_hmm-gcc-baseline.log");
        var merged = Kbuild("test_hmm-gcc-O-intree.log");

        Assert.Equal(2, WarningDelta.New(merged.Errors, baseline.Errors).Count);
        Assert.Equal(["include/linux/kern_levels.h:5", "lib/test_hmm.c:165"],
            WarningDelta.New(merged.Warnings, baseline.Warnings).Select(d => $"{d.File}:{d.Line}"));
    }

    [Fact]
    public void Nothing_is_new_against_itself()
    {
        var merged = Kbuild("test_hmm-gcc-O-intree.log");

        Assert.Empty(WarningDelta.New(merged.Warnings, merged.Warnings));
        Assert.Empty(WarningDelta.New(merged.Errors, merged.Errors));
    }

    [Fact]
    public void A_second_identical_warning_in_the_same_file_is_new_and_it_is_the_one_on_a_line_the_baseline_lacks()
    {
        var baseline = new[] { Unused(1013) };
        var merged = new[] { Unused(900), Unused(1013) };

        Assert.Equal([900], WarningDelta.New(merged, baseline).Select(d => d.Line));
    }

    [Fact]
    public void The_same_message_in_another_file_or_under_another_flag_is_new()
    {
        var baseline = new[] { Unused(10) };

        Assert.Single(WarningDelta.New([Unused(10) with { File = "lib/other.c" }], baseline));
        Assert.Single(WarningDelta.New([Unused(10) with { Flag = "-Wunused-but-set-variable" }], baseline));
        Assert.Empty(WarningDelta.New([Unused(12) with { Column = 2 }], baseline));
    }

    [Fact]
    public void Line_numbers_inside_a_message_and_the_locales_quotes_do_not_make_it_new()
    {
        var baseline = new[] { new BuildDiagnostic("lib/a.c", 3, "‘x’ was declared at lib/a.h:12:5") { Severity = "warning" } };
        var merged = new[] { new BuildDiagnostic("lib/a.c", 4, "'x' was declared at lib/a.h:14:5") { Severity = "warning" } };

        Assert.Empty(WarningDelta.New(merged, baseline));
    }

    private static BuildDiagnostic Unused(int line) =>
        new("lib/test_hmm.c", line, "unused variable ‘unused_count’") { Severity = "warning", Column = 13, Flag = "-Wunused-variable" };
}
