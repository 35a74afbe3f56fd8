using HmmCi.Reports;
using HmmCi.Selftests;

namespace HmmCi.Tests.Architecture;

/// <summary>Every rule that decides a verdict lives in Readiness; the renderings read what it wrote.</summary>
public class VerdictRulesTests
{
    static readonly System.Reflection.Assembly Library = typeof(Readiness).Assembly;

    [Fact]
    public void The_regression_predicate_is_referenced_by_the_rules_class_alone()
    {
        var callers = MethodReferences.Of(Library)
            .Where(r => r.Callee.DeclaringType == typeof(Readiness) && r.Callee.Name is "IsRegression")
            .Select(r => r.Caller).Distinct().ToList();
        Assert.NotEmpty(callers);
        Assert.All(callers, caller => Assert.Equal(typeof(Readiness), caller));
    }

    [Fact]
    public void The_classification_is_asked_for_only_by_the_rules_and_the_selftest_stage_that_confirms_and_bisects_by_it()
    {
        Type[] allowed = [typeof(Readiness), typeof(SelftestComparison), typeof(SelftestStage)];
        var callers = MethodReferences.Of(Library)
            .Where(r => r.Callee.DeclaringType == typeof(Readiness) && r.Callee.Name is "Classify")
            .Select(r => r.Caller).Distinct().ToList();
        Assert.Contains(typeof(SelftestStage), callers);
        Assert.All(callers, caller => Assert.Contains(caller, allowed));
    }

    [Fact]
    public void No_other_type_defines_a_regression_rule_of_its_own()
    {
        var copies = Library.GetTypes().Where(t => MethodReferences.Outermost(t) != typeof(Readiness))
            .SelectMany(t => t.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static
                | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(m => !m.IsSpecialName && m.Name.Contains("Regression", StringComparison.OrdinalIgnoreCase)
                && (m.ReturnType == typeof(bool) || m.ReturnType.IsAssignableTo(typeof(IEnumerable<SelftestResult>))))
            .Select(m => $"{m.DeclaringType}.{m.Name}").ToList();
        Assert.Empty(copies);
    }
}
