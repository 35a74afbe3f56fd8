using HmmCi.Build.Engine;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Build;

public class CancellationTests
{
    private sealed class Slow : PipelineBuild
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public List<string> Ran { get; } = [];
        public List<string> Cleaned { get; } = [];
        public RecordingHost Recorded { get; } = new();

        public Target First => _ => _.Executes(() => Ran.Add("First"));
        public Target Wait => _ => _.DependsOn(First).Executes(async cancellation =>
        {
            Cleanup.Register("remove the containers labelled with this run", _ => { lock (Cleaned) Cleaned.Add("containers"); return Task.CompletedTask; });
            Started.SetResult();
            await Task.Delay(Timeout.Infinite, cancellation);
        });
        public Target Publish => _ => _.DependsOn(Wait).AssuredAfterFailure().Executes(() => Ran.Add("Publish"));
        public Target Report => _ => _.AlwaysRuns().After(First, Wait, Publish).Executes(cancellation =>
        {
            Ran.Add($"Report (token cancelled: {cancellation.IsCancellationRequested}, cleaned: {string.Join(",", Cleaned)})");
            return Task.CompletedTask;
        });

        public Task<int> Start(params string[] args) => Task.Run(() => Run(args, _ => null, Recorded, Publish));
    }

    [Fact]
    public async Task Cancelling_stops_the_running_target_runs_the_cleanups_then_the_report_and_exits_130()
    {
        var build = new Slow();
        var run = build.Start();
        await build.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        build.Cancel("SIGTERM");
        var exit = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(PipelineBuild.ExitCancelled, exit);
        Assert.Equal(["First", "Report (token cancelled: False, cleaned: containers)"], build.Ran);
        var results = build.Results.ToDictionary(r => r.Name);
        Assert.Equal(TargetStatus.Succeeded, results["First"].Status);
        Assert.Equal(TargetStatus.Cancelled, results["Wait"].Status);
        Assert.StartsWith("SIGTERM after ", results["Wait"].Reason);
        Assert.Equal(TargetStatus.Cancelled, results["Publish"].Status);
        Assert.Equal("SIGTERM, before it started", results["Publish"].Reason);
        Assert.Equal(TargetStatus.Succeeded, results["Report"].Status);
        Assert.Contains("warning: Wait cancelled (SIGTERM)", build.Recorded.Lines);
        Assert.Empty(build.Recorded.Errors);
    }

    [Fact]
    public async Task A_second_cancel_changes_nothing_and_the_first_cause_is_reported()
    {
        var build = new Slow();
        var run = build.Start();
        await build.Started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        build.Cancel("SIGINT");
        build.Cancel("SIGTERM");

        Assert.Equal(PipelineBuild.ExitCancelled, await run.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("SIGINT after ", build.Results.Single(r => r.Name == "Wait").Reason);
        Assert.Single(build.Recorded.Lines, l => l.Contains("cancelling the run"));
    }

    [Fact]
    public void A_run_that_is_not_cancelled_runs_what_is_still_registered_at_its_end()
    {
        var build = new Quick();
        Assert.Equal(0, build.Run([], _ => null, new RecordingHost(), build.Work));
        Assert.Equal(["work", "cleanup"], build.Log);
    }

    private sealed class Quick : PipelineBuild
    {
        public List<string> Log { get; } = [];
        public Target Work => _ => _.Executes(() =>
        {
            Log.Add("work");
            Cleanup.Register("left behind", _ => { Log.Add("cleanup"); return Task.CompletedTask; });
        });
    }
}
