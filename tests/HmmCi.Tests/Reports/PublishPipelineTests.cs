using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using HmmCi.Build.Engine;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using WireMock.Settings;

namespace HmmCi.Tests.Reports;

/// <summary>The whole pipeline on a generated topic world: every file written, request-pull as git writes it, Publish wired.</summary>
public sealed class PublishPipelineTests : IDisposable
{
    private readonly TopicScenario _scenario = new();
    private readonly string _tag = "hmm-for-6.2";

    public PublishPipelineTests()
    {
        _scenario.Branch("hmm");
        _scenario.Upstream.Commit("mm/hmm: return -EBUSY from hmm_range_fault()\n\nSigned-off-by: Alice Author <alice@example.org>\n", "mm/hmm.c",
            "// SPDX-License-Identifier: GPL-2.0-only\nint hmm_range_fault(void)\n{\n\treturn -EBUSY;\n}\n");
        _scenario.Upstream.Commit("mm/hmm: document hmm_range_fault()\n\nSigned-off-by: Alice Author <alice@example.org>\n", "include/linux/hmm.h",
            "#ifndef _LINUX_HMM_H\n#define _LINUX_HMM_H\n/* faults in a range */\nint hmm_range_fault(void);\n#endif\n");
        _scenario.Upstream.Git("tag", "-a", _tag, "-m", "hmm for 6.2\n\nThis is the hmm topic for the 6.2 merge window:\n- hmm_range_fault() returns -EBUSY\n");
        _scenario.Branch("drm-next");
        _scenario.Upstream.Commit("drm: hmm_range_fault() returns -EAGAIN\n\nSigned-off-by: Bob Builder <bob@example.org>\n", "mm/hmm.c",
            "// SPDX-License-Identifier: GPL-2.0-only\nint hmm_range_fault(void)\n{\n\treturn -EAGAIN;\n}\n", author: "Bob Builder <bob@example.org>");
        _scenario.Branch("for-next");
        _scenario.Upstream.Commit("RDMA/core: add a driver file\n\nSigned-off-by: Alice Author <alice@example.org>\n", "drivers/infiniband/core.c", "int x;\n");
        _scenario.Upstream.Checkout("master");
    }

    public void Dispose() => _scenario.Dispose();

    private string Config() => _scenario.WriteConfig([("rdma", "for-next"), ("drm", "drm-next")]);

    [Fact]
    public void Report_writes_every_file_and_pull_request_txt_is_git_request_pull_then_the_conflicts_linus_will_meet()
    {
        var summary = _scenario.Directory.WriteFile("step-summary.md", "earlier step output\n");
        var run = PipelineRun.Execute(_scenario.Directory, new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = summary },
            "--config", Config(), "--request-pull", _tag);

        Assert.Equal(1, run.ExitCode);
        foreach (var file in new[] { "report.json", "report.md", "report.html", "report.eml", "kcidb.json", "pull-request.txt" })
            Assert.True(File.Exists(Path.Combine(run.OutputDirectory, file)), file);
        Assert.DoesNotContain(run.Host.Lines, l => l.StartsWith("Plan:", StringComparison.Ordinal) && l.Contains("Publish"));

        var expected = Git(_scenario.Upstream.Path, "request-pull", "v6.1", _scenario.Upstream.Path, _tag);
        Assert.Contains("tags/" + _tag, expected);
        Assert.Contains("This is the hmm topic for the 6.2 merge window:", expected);
        var text = File.ReadAllText(Path.Combine(run.OutputDirectory, "pull-request.txt"));
        Assert.StartsWith(expected, text);
        var section = text[expected.Length..];
        Assert.StartsWith("\n----------------------------------------------------------------\nConflicts with the downstream trees\n\n", section);
        var topic = _scenario.Upstream.Git("rev-parse", "hmm~1").Trim()[..12];
        Assert.Contains("When you merge the drm tree there will be a conflict in mm/hmm.c\n(content) with the hmm tree. It has no recorded resolution yet.\n", section);
        Assert.Contains($"Commit from the hmm tree:\n  {topic} (\"mm/hmm: return -EBUSY from hmm_range_fault()\")\n", section);
        Assert.Contains("<<<<<<< hmm\n\treturn -EBUSY;\n=======\n\treturn -EAGAIN;\n>>>>>>> drm", section);

        var appended = File.ReadAllText(summary);
        Assert.StartsWith("earlier step output\n# HmmCi: hmm is NOT ready to merge", appended);
        Assert.Equal(File.ReadAllText(Path.Combine(run.OutputDirectory, "report.md")) + "\n", appended["earlier step output\n".Length..]);
    }

    [Fact]
    public void A_tag_the_topic_does_not_have_is_bad_input_and_the_other_files_are_still_written()
    {
        var run = PipelineRun.Execute(_scenario.Directory, null, "--config", Config(), "--request-pull", "no-such-tag");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(run.Host.Errors, e => e.StartsWith("--request-pull: no tag no-such-tag in ", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(run.OutputDirectory, "report.eml")));
        Assert.False(File.Exists(Path.Combine(run.OutputDirectory, "pull-request.txt")));
    }

    [Fact]
    public void Publish_without_a_token_is_skipped_with_the_reason_and_the_exit_code_is_the_verdicts()
    {
        var run = PipelineRun.Execute(_scenario.Directory, null, "Publish", "--config", Config());

        // Publish alone builds and boots nothing: incomplete, whatever it publishes.
        Assert.Equal(PipelineBuild.ExitIncomplete, run.ExitCode);
        Assert.Contains("Skipping Publish: GITHUB_TOKEN is not set and hmmci.yml has no report.email.smtp", run.Host.Lines);
        Assert.DoesNotContain(run.Host.Errors, e => e.Contains("Publish"));
    }

    [Fact]
    public void With_a_token_the_default_run_publishes_and_a_permanent_failure_keeps_the_files_and_the_verdicts_exit_code()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var server = WireMockServer.Start(new WireMockServerSettings { Urls = [$"http://127.0.0.1:{port}"] });
        server.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json").WithBody("{\"message\":\"Bad credentials\"}"));
        var head = _scenario.Upstream.Git("rev-parse", "hmm").Trim();
        var environment = new Dictionary<string, string>
        {
            ["GITHUB_TOKEN"] = "ghs_not_a_real_token", ["GITHUB_ACTIONS"] = "true", ["GITHUB_API_URL"] = server.Url!,
            ["GITHUB_REPOSITORY"] = "hmm-org/hmm", ["GITHUB_SHA"] = head, ["GITHUB_EVENT_NAME"] = "push",
        };

        var run = PipelineRun.Execute(_scenario.Directory, environment, "--config", Config());

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.Host.Lines, l => l.StartsWith("Plan:", StringComparison.Ordinal) && l.EndsWith("-> Report -> Publish", StringComparison.Ordinal));
        // The conflict in mm/hmm.c is an annotation candidate: the commit's tree is read first.
        Assert.Contains(server.LogEntries, e => e.RequestMessage!.Method == "GET" && e.RequestMessage.AbsolutePath == $"/api/v3/repos/hmm-org/hmm/git/trees/{head}");
        var notes = run.Report.GetProperty("publish").GetProperty("notes").EnumerateArray().Select(n => n.GetString()).ToList();
        Assert.Contains(notes, n => n!.StartsWith("Publishing on GitHub failed: AuthorizationException: Bad credentials", StringComparison.Ordinal));
        Assert.Contains("Publishing on GitHub failed", File.ReadAllText(Path.Combine(run.OutputDirectory, "report.md")));
        // The token is never written anywhere.
        foreach (var file in Directory.GetFiles(run.OutputDirectory))
            Assert.DoesNotContain("ghs_not_a_real_token", File.ReadAllText(file));
        Assert.DoesNotContain(run.Host.Lines, l => l.Contains("ghs_not_a_real_token"));
    }

    private static string Git(string directory, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
