using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Selftests;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Selftests;

/// <summary>
/// The kernel's own KTAP corpus (tools/testing/kunit/test_data in the linux-source-6.1 tarball, read at test time) parsed
/// by KtapParser and by the kernel's kunit_parser.py: the same tests with the same results.
/// </summary>
public class KtapParserKunitCorpusTests
{
    public static TheoryData<string> Logs() =>
    [
        "test_config_printk_time.log", "test_insufficient_memory.log", "test_interrupted_tap_output.log",
        "test_is_test_passed-all_passed.log", "test_is_test_passed-all_passed_nested.log", "test_is_test_passed-failure.log",
        "test_is_test_passed-missing_plan.log", "test_is_test_passed-no_tests_no_plan.log",
        "test_is_test_passed-no_tests_run_no_header.log", "test_is_test_passed-no_tests_run_with_header.log",
        "test_kernel_panic_interrupt.log", "test_multiple_prefixes.log", "test_output_isolated_correctly.log",
        "test_output_with_prefix_isolated_correctly.log", "test_parse_ktap_output.log", "test_parse_subtest_header.log",
        "test_pound_no_prefix.log", "test_pound_sign.log", "test_skip_all_tests.log", "test_skip_tests.log",
        "test_strip_hyphen.log",
    ];

    static string Word(TestStatus status) => status switch
    {
        TestStatus.Pass => "pass",
        TestStatus.Fail => "fail",
        TestStatus.Skip => "skip",
        // kunit_parser.py names a test that never reported "crashed" (and leaves it nameless).
        TestStatus.Missing or TestStatus.Error => "crashed",
        var other => other.ToString(),
    };

    [Theory]
    [MemberData(nameof(Logs))]
    public async Task Gives_the_same_results_as_the_kernels_kunit_parser(string log)
    {
        var kunit = await RealKernel.KunitDirectoryAsync();
        var file = Path.Combine(kunit, "test_data", log);
        var reference = await ProcessRunner.Default.RunAsync(new ProcessSpec("python3",
            [Path.Combine(RepositoryRoot.Path, "tests/HmmCi.Tests/Selftests/kunit_reference.py"), kunit, file]));
        Assert.True(reference.Success, reference.Error);
        var expected = reference.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();

        var ours = KtapParser.Parse(File.ReadAllLines(file)).Leaves().ToList();
        // A subtest header with no results under it is "no tests" to kunit_parser.py; HmmCi keeps its own result line.
        var named = expected.Where(e => e[1] != "crashed").Select(e => $"{e[0]} {(e[1] == "none" ? "pass" : e[1])}").ToList();
        Assert.Equal(named, ours.Where(t => Word(t.Status) != "crashed").Select(t => $"{t.Name} {Word(t.Status)}"));
        Assert.Equal(expected.Count(e => e[1] == "crashed"), ours.Count(t => Word(t.Status) == "crashed"));
    }
}
