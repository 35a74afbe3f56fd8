using HmmCi.Build.Engine;
using HmmCi.Reports;

namespace HmmCi.Build;

public partial class Pipeline
{
    Target Selftests => _ => _
        .Description("Boot each merged kernel in QEMU and run the HMM selftests against the baseline")
        .DependsOn(Build)
        .NotImplemented("selftest runs are not built yet")
        .Executes(() =>
        {
            foreach (var tree in ReadinessReport.Trees.Where(t => t.Error is null))
                tree.Selftests = new SelftestsReport { Status = StageStatus.NotImplemented, Reason = "selftest runs are not built yet" };
        });
}
