using HmmCi.Build.Engine;
using HmmCi.Prerequisites;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Prerequisites => _ => _
        .Description("Install the Debian packages this run needs (as root), or print the apt-get line and exit 2")
        .Executes(async () =>
        {
            var packages = new List<string> { "git" };
            if (Settings.Sample is not null) packages.AddRange(["linux-source-6.1", "xz-utils"]);
            try
            {
                await new AptPrerequisites(Host.Info).EnsureAsync(packages, isRoot: Environment.UserName == "root");
            }
            catch (MissingPrerequisitesException e)
            {
                throw new UsageException(e.Message);
            }
        });
}
