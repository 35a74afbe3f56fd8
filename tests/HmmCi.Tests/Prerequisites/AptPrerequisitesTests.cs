using HmmCi.Prerequisites;

namespace HmmCi.Tests.Prerequisites;

public class AptPrerequisitesTests
{
    [Fact]
    public async Task Installed_packages_are_not_missing_and_unknown_ones_are()
    {
        var missing = await new AptPrerequisites(_ => { }).MissingAsync(["git", "hmmci-no-such-package"]);
        Assert.Equal(["hmmci-no-such-package"], missing);
    }

    [Fact]
    public async Task Without_root_the_exact_apt_get_line_is_given_instead_of_installing()
    {
        var progress = new List<string>();
        var e = await Assert.ThrowsAsync<MissingPrerequisitesException>(() =>
            new AptPrerequisites(progress.Add).EnsureAsync(["git", "hmmci-no-such-package"], isRoot: false));
        Assert.Equal("missing Debian packages: hmmci-no-such-package; run: sudo apt-get update && sudo apt-get install -y --no-install-recommends hmmci-no-such-package", e.Message);
        Assert.Empty(progress);
    }
}
