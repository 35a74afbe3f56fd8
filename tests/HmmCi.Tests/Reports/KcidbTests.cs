using System.Text.Json;
using HmmCi.Reports;

namespace HmmCi.Tests.Reports;

public class KcidbTests
{
    static JsonElement Export(MergeReadinessReport report) => JsonDocument.Parse(Kcidb.Export(report)).RootElement;

    [Fact]
    public void The_export_of_a_report_with_builds_and_selftests_is_valid_kcidb_v5()
    {
        var json = Kcidb.Export(HandBuiltReports.Full());
        Assert.Empty(KcidbSchemaV5.Validate(json));
        var root = JsonDocument.Parse(json).RootElement;
        Assert.Equal(5, root.GetProperty("version").GetProperty("major").GetInt32());
        Assert.Equal(3, root.GetProperty("version").GetProperty("minor").GetInt32());
    }

    [Fact]
    public void The_sample_reports_export_is_valid_kcidb_v5()
    {
        var report = ReportJson.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "Data", "sample-report.json")));
        Assert.Empty(KcidbSchemaV5.Validate(Kcidb.Export(report)));
    }

    [Fact]
    public void One_checkout_per_tree_and_kind_one_build_per_record_one_test_per_result()
    {
        var root = Export(HandBuiltReports.Full());
        var checkouts = root.GetProperty("checkouts").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Equal(checkouts.Distinct(), checkouts);
        Assert.All(checkouts, id => Assert.StartsWith("hmmci:", id));
        Assert.Contains($"hmmci:drm:merged:{new string('d', 40)}", checkouts);
        Assert.Contains($"hmmci:drm:baseline:{HandBuiltReports.DrmCommit.Sha}", checkouts);
        Assert.Contains($"hmmci:hmm:topic:{HandBuiltReports.TopicCommit.Sha}", checkouts);

        var builds = root.GetProperty("builds").EnumerateArray().ToList();
        Assert.Equal(3, builds.Count);
        var failed = builds.Single(b => b.GetProperty("status").GetString() == "FAIL");
        Assert.Equal($"hmmci:drm:merged:{new string('d', 40)}", failed.GetProperty("checkout_id").GetString());
        Assert.Equal("x86_64", failed.GetProperty("architecture").GetString());
        Assert.Equal("tinyconfig+hmm-selftests", failed.GetProperty("config_name").GetString());
        Assert.Equal(65.0, failed.GetProperty("duration").GetDouble());

        var tests = root.GetProperty("tests").EnumerateArray().ToDictionary(t => t.GetProperty("path").GetString()!, t => t.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?>
        {
            ["hmm-tests.hmm.hmm_device_private.migrate"] = "FAIL", ["hmm-tests.hmm.hmm_device_private.anon_read"] = "PASS",
            ["hmm-tests.hmm.hmm_device_coherent.exclusive"] = "FAIL", ["hmm-tests.hmm.hmm.open_close"] = "MISS",
        }, tests);
    }

    [Fact]
    public void Only_an_https_repository_url_is_given_as_v5_accepts_no_other()
    {
        var urls = Export(HandBuiltReports.Full()).GetProperty("checkouts").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.TryGetProperty("git_repository_url", out var u) ? u.GetString() : null);
        Assert.Equal("https://gitlab.freedesktop.org/drm/kernel.git", urls[$"hmmci:drm:baseline:{HandBuiltReports.DrmCommit.Sha}"]);
        // rdma is configured with a git:// URL, which v5's ^https:// pattern rejects.
        Assert.Null(urls[$"hmmci:rdma:baseline:{HandBuiltReports.RdmaCommit.Sha}"]);
    }

    [Fact]
    public void The_validator_rejects_what_v5_rejects()
    {
        const string bad = """
            {"version": {"major": 4},
             "checkouts": [{"id": "hmmci:x", "origin": "HmmCi", "git_repository_url": "git://example.org/x.git", "valid": null, "extra": 1}],
             "builds": [{"id": "hmmci:b", "origin": "hmmci", "status": "BROKEN", "log_excerpt": 7}],
             "tests": [{"id": "hmmci:t", "build_id": "hmmci:b", "origin": "hmmci", "path": "hmm tests.a"}]}
            """;
        var errors = KcidbSchemaV5.Validate(bad);
        Assert.Contains("$.version.major: must be 5", errors);
        Assert.Contains(errors, e => e.StartsWith("$.checkouts[0].origin:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("$.checkouts[0].git_repository_url:", StringComparison.Ordinal));
        Assert.Contains("$.checkouts[0].valid: expected Boolean, got Null", errors);
        Assert.Contains("$.checkouts[0].extra: not a checkout property", errors);
        Assert.Contains("$.builds[0].checkout_id: required", errors);
        Assert.Contains("$.builds[0].status: 'BROKEN' is not a status", errors);
        Assert.Contains("$.builds[0].log_excerpt: expected String, got Number", errors);
        Assert.Contains(errors, e => e.StartsWith("$.tests[0].path:", StringComparison.Ordinal));
    }
}
