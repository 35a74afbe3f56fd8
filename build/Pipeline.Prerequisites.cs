using HmmCi.Build.Engine;
using HmmCi.Prerequisites;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Prerequisites => _ => _
        .Description("Install the Debian packages this run's targets and kernel runtime need (as root), or print the apt-get line and exit 2")
        .Executes(async cancellation =>
        {
            var plan = PlanPrerequisites.For(PlannedTargets, Settings.Kernel, hasSample: Settings.Sample is not null);
            Host.Info("Debian packages: " + string.Join("; ", plan.Needs.Select(n => $"{string.Join(" ", n.Packages)} ({n.Why})")));
            if (plan.MissingCommands(Environment.GetEnvironmentVariable("PATH")) is [var missing, ..])
                throw new UsageException(missing);
            try
            {
                await new AptPrerequisites(Host.Info).EnsureAsync(plan.Packages, isRoot: Environment.UserName == "root", cancellation);
            }
            catch (MissingPrerequisitesException e)
            {
                throw new UsageException(e.Message);
            }
        });
}
