using HmmCi.Build.Engine;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Build;

public class TargetGraphTests
{
    private sealed class Chain : PipelineBuild
    {
        public List<string> Ran { get; } = [];
        public bool FailB { get; set; }
        public bool ConditionForC { get; set; } = true;

        public Target A => _ => _.Executes(() => Ran.Add("A"));
        public Target B => _ => _.DependsOn(A).Executes(() => { Ran.Add("B"); if (FailB) throw new InvalidOperationException("B broke"); });
        public Target C => _ => _.DependsOn(B).OnlyWhen(() => ConditionForC, "C is not wanted today").Executes(() => Ran.Add("C"));
        public Target D => _ => _.DependsOn(A).After(C).Executes(() => Ran.Add("D"));
        public Target Stub => _ => _.DependsOn(A).NotImplemented("comes later").Executes(() => Ran.Add("Stub"));
        public Target Always => _ => _.AlwaysRuns().After(A, B, C, D, Stub).Executes(() => Ran.Add("Always"));
        public Target Late => _ => _.DependsOn(Always).AssuredAfterFailure().Executes(() => Ran.Add("Late"));

        public int Invoke(params string[] args) => Run(args, _ => null, new RecordingHost(), C);
    }

    private sealed class Cyclic : PipelineBuild
    {
        public Target X => _ => _.DependsOn(Z);
        public Target Y => _ => _.DependsOn(X);
        public Target Z => _ => _.After(Y);
    }

    [Fact]
    public void Dependencies_run_first_and_the_always_run_target_joins_every_plan()
    {
        var build = new Chain();
        Assert.Equal(0, build.Invoke("B"));
        Assert.Equal(["A", "B", "Always"], build.Ran);
    }

    [Fact]
    public void Default_targets_run_when_none_are_named()
    {
        var build = new Chain();
        build.Invoke();
        Assert.Equal(["A", "B", "C", "Always"], build.Ran);
    }

    [Fact]
    public void After_orders_without_pulling_the_target_in()
    {
        var build = new Chain();
        build.Invoke("D", "C");
        Assert.Equal(["A", "B", "C", "D", "Always"], build.Ran);

        var alone = new Chain();
        alone.Invoke("D");
        Assert.Equal(["A", "D", "Always"], alone.Ran);
    }

    [Fact]
    public void OnlyWhen_skips_with_its_reason()
    {
        var build = new Chain { ConditionForC = false };
        build.Invoke("C");
        Assert.DoesNotContain("C", build.Ran);
        var c = build.Results.Single(r => r.Name == "C");
        Assert.Equal(TargetStatus.Skipped, c.Status);
        Assert.Equal("C is not wanted today", c.Reason);
    }

    [Fact]
    public void Skip_parameter_skips_named_targets_and_a_bare_skip_skips_all_dependencies()
    {
        var named = new Chain();
        named.Invoke("C", "--skip", "A");
        Assert.Equal(["B", "C", "Always"], named.Ran);
        Assert.Equal("--skip", named.Results.Single(r => r.Name == "A").Reason);

        var bare = new Chain();
        bare.Invoke("C", "--skip");
        Assert.Equal(["C", "Always"], bare.Ran);
    }

    [Fact]
    public void A_failure_stops_later_targets_but_not_the_assured_ones_and_exits_3()
    {
        var build = new Chain { FailB = true };
        var exit = build.Invoke("C", "Late");
        Assert.Equal(PipelineBuild.ExitToolFailure, exit);
        Assert.Equal(["A", "B", "Always", "Late"], build.Ran);
        Assert.Equal(TargetStatus.NotRun, build.Results.Single(r => r.Name == "C").Status);
        Assert.Equal("B broke", build.Results.Single(r => r.Name == "B").Reason);
    }

    [Fact]
    public void Not_implemented_targets_are_marked_as_such_not_as_succeeded()
    {
        var build = new Chain();
        build.Invoke("Stub");
        Assert.Equal(TargetStatus.NotImplemented, build.Results.Single(r => r.Name == "Stub").Status);
    }

    [Fact]
    public void Cycles_are_reported_with_their_path()
    {
        var e = Assert.Throws<TargetGraphException>(() => TargetGraph.From(new Cyclic()));
        Assert.Contains("target cycle: ", e.Message);
        Assert.Matches("X -> Z -> Y -> X|Y -> X -> Z -> Y|Z -> Y -> X -> Z", e.Message);
    }

    [Fact]
    public void Cycles_and_unknown_targets_exit_2()
    {
        Assert.Equal(PipelineBuild.ExitBadInput, new Cyclic().Run(["X"], _ => null, new RecordingHost()));
        var host = new RecordingHost();
        Assert.Equal(PipelineBuild.ExitBadInput, new Chain().Run(["Nope"], _ => null, host));
        Assert.Contains("unknown target 'Nope'", host.Errors.Single());
    }
}
