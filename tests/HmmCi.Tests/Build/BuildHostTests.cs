using HmmCi.Build.Engine;

namespace HmmCi.Tests.Build;

public class BuildHostTests
{
    [Fact]
    public void GitHub_Actions_gets_groups_and_escaped_annotations()
    {
        var output = new StringWriter();
        var host = new GitHubActionsHost(output);
        host.BeginTarget("Merge");
        host.Error("conflict in mm/hmm.c\n50% done", "mm/hmm.c", 42);
        host.Warning("plain");
        host.EndTarget("Merge");
        Assert.Equal(
            "::group::Merge\n::error file=mm/hmm.c,line=42::conflict in mm/hmm.c%0A50%25 done\n::warning::plain\n::endgroup::\n",
            output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_environment_picks_the_host()
    {
        Assert.IsType<GitHubActionsHost>(IBuildHost.ForEnvironment(n => n == "GITHUB_ACTIONS" ? "true" : null));
        Assert.IsType<TerminalHost>(IBuildHost.ForEnvironment(_ => null));
    }
}
