using System.Security.Cryptography;
using System.Text;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Reports;

/// <summary>Reports/Data/sample-report.json is a capture of a real run; it must be newer than the code that writes report.json.</summary>
public class CapturedSampleReportTests
{
    const string Data = "tests/HmmCi.Tests/Reports/Data";

    [Fact]
    public void The_captured_sample_report_is_stamped_with_the_code_that_writes_report_json_now()
    {
        var stampFile = Path.Combine(RepositoryRoot.Path, Data, "sample-report.stamp");
        var stamp = File.Exists(stampFile) ? File.ReadAllText(stampFile).Trim() : "";
        Assert.True(stamp == Stamp(), $"{Data}/sample-report.json is older than the code that writes report.json ({Data}/sample-report.sources): recapture it with {Data}/capture-sample-report.sh");
    }

    /// <summary>capture-sample-report.sh's stamp: sha256 over the listed files in order, each preceded by its path and a newline.</summary>
    static string Stamp()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var path in File.ReadAllLines(Path.Combine(RepositoryRoot.Path, Data, "sample-report.sources")).Where(l => l.Length > 0 && !l.StartsWith('#')))
        {
            hash.AppendData(Encoding.UTF8.GetBytes(path + "\n"));
            hash.AppendData(File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, path)));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
