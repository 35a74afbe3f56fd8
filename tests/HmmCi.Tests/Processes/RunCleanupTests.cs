using HmmCi.Processes;

namespace HmmCi.Tests.Processes;

public class RunCleanupTests
{
    [Fact]
    public async Task Cleanups_run_once_latest_first_and_a_failing_or_hanging_one_does_not_stop_the_others()
    {
        var cleanup = new RunCleanup();
        var ran = new List<string>();
        cleanup.Register("remove the build containers", _ => { ran.Add("containers"); return Task.CompletedTask; });
        cleanup.Register("stop podman's API service", _ => throw new InvalidOperationException("no such process"));
        cleanup.Register("stop the VM", token => Task.Delay(Timeout.Infinite, token));
        cleanup.Register("remove the scratch tree", _ => { ran.Add("scratch"); return Task.CompletedTask; }).Dispose();

        var failures = await cleanup.RunAsync(TimeSpan.FromMilliseconds(200));

        Assert.Equal(["containers"], ran);
        Assert.Equal(["stop the VM: did not finish within 0.2 s", "stop podman's API service: no such process"], failures);
        Assert.Empty(await cleanup.RunAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(["containers"], ran);
    }
}
