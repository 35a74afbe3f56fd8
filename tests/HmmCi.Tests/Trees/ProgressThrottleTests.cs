using HmmCi.Trees;

namespace HmmCi.Tests.Trees;

public class ProgressThrottleTests
{
    [Fact]
    public void Passes_the_first_line_then_one_per_interval_and_every_finished_step()
    {
        var now = DateTimeOffset.UnixEpoch;
        var seen = new List<string>();
        var throttle = new ProgressThrottle(TimeSpan.FromSeconds(5), seen.Add, () => now);

        throttle.Offer("Receiving objects:   1% (1/100)");
        now += TimeSpan.FromSeconds(1);
        throttle.Offer("Receiving objects:   2% (2/100)");
        now += TimeSpan.FromSeconds(5);
        throttle.Offer("Receiving objects:  50% (50/100)");
        now += TimeSpan.FromSeconds(1);
        throttle.Offer("Receiving objects: 100% (100/100), done.");
        throttle.Offer("Resolving deltas:  10% (1/10)");

        Assert.Equal(["Receiving objects:   1% (1/100)", "Receiving objects:  50% (50/100)", "Receiving objects: 100% (100/100), done."], seen);
    }
}
