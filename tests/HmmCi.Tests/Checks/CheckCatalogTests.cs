using HmmCi.Checks;
using HmmCi.Config;

namespace HmmCi.Tests.Checks;

public class CheckCatalogTests
{
    [Fact]
    public void The_catalog_runs_exactly_the_rules_hmmci_yml_can_name_in_their_documented_order()
    {
        Assert.Equal(ChecksConfig.RuleIds, CheckCatalog.All.Select(check => check.Id));
    }
}
