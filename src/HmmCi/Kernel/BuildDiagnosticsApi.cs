using HmmCi.Config;
using HmmCi.Reports;

namespace HmmCi.Kernel;

/// <summary>
/// PENDING the diag branch: the Build stage's calls into CompilerDiagnostics.Parse, WarningDelta.New and
/// KconfigVerification.Verify. Until that branch is merged, no diagnostics are parsed (reasons and log tails come
/// from the log itself) and kconfig is not verified.
/// </summary>
internal static class BuildDiagnosticsApi
{
    public sealed record Parsed(List<BuildDiagnostic> Errors, List<BuildDiagnostic> Warnings);

    public static Parsed Parse(string log, string treeRoot) => new([], []);

    public static List<BuildDiagnostic> New(List<BuildDiagnostic> subject, List<BuildDiagnostic> baseline) => [];

    public static List<BuildDiagnostic> VerifyKconfig(string treeRoot, string dotConfig, IReadOnlyList<KconfigFragment> fragments) => [];
}
