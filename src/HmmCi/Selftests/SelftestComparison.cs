using HmmCi.Reports;

namespace HmmCi.Selftests;

/// <summary>
/// The merged kernel's results next to the baseline's, test by test; what each pair means (regression, already
/// failing, fixed, ...) is <see cref="Readiness.Classify(SelftestResult)"/>'s to say. Pure.
/// </summary>
public static class SelftestComparison
{
    /// <summary>
    /// One entry per test of either run, in the merged run's order; a test only the baseline has is missing merged.
    /// A test the baseline did not report is missing there too when the baseline did not run to its end (or did not
    /// run): only a baseline that finished without a test says the test is new. Kernel problems seen while a test
    /// ran are added to its diagnostics.
    /// </summary>
    public static List<SelftestResult> Compare(SelftestOutcome merged, SelftestOutcome? baseline)
    {
        var mergedTests = Named(merged.Result, baseline?.Result);
        var baselineTests = baseline is null ? [] : Named(baseline.Result, merged.Result);
        var byName = baselineTests.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First());
        var results = new List<SelftestResult>();
        foreach (var test in mergedTests)
        {
            var problems = merged.Problems.Where(p => p.Test == test.Name).SelectMany(p => p.Lines.Prepend($"kernel {p.Kind} while {test.Name} ran:"));
            var unreported = baseline is null || baseline.Status == StageStatus.Error ? TestStatus.Missing : (TestStatus?)null;
            results.Add(new SelftestResult(test.Name, test.Status, byName.GetValueOrDefault(test.Name)?.Status ?? unreported)
            {
                Diagnostics = test.Status == TestStatus.Pass ? problems.ToList() : [.. test.Diagnostics, .. problems],
            });
        }
        var seen = mergedTests.Select(t => t.Name).ToHashSet();
        foreach (var test in baselineTests.Where(t => !seen.Contains(t.Name)))
            results.Add(new SelftestResult(test.Name, TestStatus.Missing, test.Status));
        return results;
    }

    /// <summary>A second run of the merged kernel: a regression that passes this time is flaky, not failed.</summary>
    public static List<SelftestResult> Confirm(IReadOnlyList<SelftestResult> tests, SelftestOutcome confirmation)
    {
        var again = confirmation.Tests.GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First().Status);
        return tests.Select(t => Readiness.Classify(t) == SelftestClass.Regression && again.GetValueOrDefault(t.Name) == TestStatus.Pass ? t with { Flaky = true } : t).ToList();
    }

    /// <summary>
    /// Leaves with names; a planned test that never reported has only a number, which the other run of the same
    /// hmm-tests (same order) names.
    /// </summary>
    static List<KtapTest> Named(KtapResult result, KtapResult? other)
    {
        var names = other?.Tests.Where(t => !t.Name.StartsWith('#')).GroupBy(t => t.Number).ToDictionary(g => g.Key, g => g.First().Name)
            ?? [];
        return result.Tests.Select(t => t.Name.StartsWith('#') && names.TryGetValue(t.Number, out var name) ? t with { Name = name } : t)
            .SelectMany(t => new KtapResult([t]).Leaves()).ToList();
    }
}
