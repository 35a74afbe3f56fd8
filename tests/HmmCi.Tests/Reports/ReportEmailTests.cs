using HmmCi.Config;
using HmmCi.Reports;
using HmmCi.Reports.Email;
using MimeKit;

namespace HmmCi.Tests.Reports;

public class ReportEmailTests
{
    static readonly EmailConfig Config = new("HmmCi <hmmci@example.org>", ["Jason Gunthorpe <jgg@nvidia.com>"], ["linux-mm@kvack.org", "Dave Airlie <airlied@gmail.com>"], null);

    static string Body() => ReportEmail.Body(ReportView.Of(HandBuiltReports.Full()));

    [Fact]
    public void A_conflict_note_reads_like_linux_next()
    {
        Assert.Contains("""
            Today's test merge of the hmm tree into the rdma tree got a conflict in:

              drivers/infiniband/core/umem_odp.c

            between commit:

              0123456789ab ("mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()")

            from the hmm tree and commit:

              111111111111 ("RDMA/odp: use hmm_pfn_to_map_order()")

            from the rdma tree.

            The conflict looks like this:

            @@ line 40 @@
            <<<<<<< rdma
            	order = hmm_pfn_to_map_order(pfn);
            =======
            	shift = hmm_pfn_to_map_shift(pfn);
            >>>>>>> hmm
            """.Replace("\r", ""), Body());
    }

    [Fact]
    public void A_build_failure_note_quotes_the_compiler_and_names_the_culprit()
    {
        Assert.Contains("""
            After merging the hmm tree, the drm build (x86_64
            tinyconfig+hmm-selftests) failed like this:

            drivers/gpu/drm/nouveau/nouveau_svm.c: In function 'nouveau_hmm_convert_pfn':
            drivers/gpu/drm/nouveau/nouveau_svm.c:642:17: error: implicit declaration of function 'hmm_pfn_to_map_order'; did you mean 'hmm_pfn_to_map_shift'? [-Werror=implicit-function-declaration]

            Caused by commit
            0123456789ab ("mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()")
            interacting with commit
            fedcba987654 ("drm/nouveau: use the mapping order") from the drm tree.

            To reproduce:

              tuxmake --runtime podman --target-arch x86_64 --kconfig tinyconfig
            """.Replace("\r", ""), Body());
        Assert.Contains("After merging the hmm tree, the drm build (x86_64\ntinyconfig+hmm-selftests) produced these new warnings:\n\n"
            + "drivers/gpu/drm/nouveau/nouveau_svm.c:650:6: warning: unused variable 'order' [-Wunused-variable]\n", Body());
    }

    [Fact]
    public void Selftest_regressions_flaky_tests_and_kernel_warnings_are_notes_of_their_own()
    {
        var body = Body();
        Assert.Contains("After merging the hmm tree, the rdma kernel fails this selftest, which\npasses on the rdma tree alone:\n\n"
            + "  hmm.hmm_device_private.migrate: fail (pass on the rdma tree alone)\n\n# hmm-tests.c:1065:migrate:Expected ret (-16) == 0 (0)\n\n"
            + "Caused by commit\n0123456789ab (\"mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()\").\n\n"
            + "Bisected:\n\n  0123456789ab (\"mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()\"): bad\n", body);
        Assert.Contains("this selftest failed once\nand passed when run again:\n\n  hmm.hmm_device_coherent.exclusive: fail", body);
        Assert.Contains("hit a WARNING\nwhile running hmm.hmm_device_private.migrate:\n\nWARNING: CPU: 1 PID: 245 at mm/hmm.c:612 hmm_vma_fault+0x1c/0x40", body);
        // A test that never reported is not a regression.
        Assert.DoesNotContain("open_close", body);
    }

    [Fact]
    public void A_discipline_finding_is_its_sentence_and_a_merge_window_note_names_the_merge_window_so_far()
    {
        var body = Body();
        Assert.Contains("Commit\n0123456789ab (\"mm/hmm: replace hmm_pfn_to_map_order() with hmm_pfn_to_map_shift()\")\nis missing a Signed-off-by from its committer. (signed-off-by check,\nerror)", body);
        Assert.Contains("When Linus merges the rdma tree in the merge window, he will get a\nconflict in:\n\n  include/linux/hmm.h\n\nbetween commit:\n\n  fedcba987654 (\"drm/nouveau: use the mapping order\")\n\nfrom the merge window so far and commit:", body);
        Assert.DoesNotContain("the the", body);
    }

    [Fact]
    public void Prose_is_wrapped_at_72_columns_and_only_verbatim_lines_are_longer()
    {
        var view = ReportView.Of(HandBuiltReports.Full());
        var verbatim = view.Problems.SelectMany(p => new[] { p.Conflict?.Excerpt, p.Text, p.Build?.Reproducer }
                .Concat(p.Build?.Diagnostics.Select(d => d.Text) ?? []).Concat(p.Selftests?.Tests.SelectMany(t => t.Diagnostics) ?? []).Concat(p.Commits.Select(c => c.Cite)))
            .OfType<string>().SelectMany(t => t.Split('\n')).ToHashSet();
        var longLines = ReportEmail.Body(view).Split('\n').Where(l => l.Length > 72).ToList();
        Assert.NotEmpty(longLines);
        Assert.All(longLines, l => Assert.True(verbatim.Any(v => l.Contains(v.Trim())), $"prose line over 72 columns: {l}"));
    }

    [Fact]
    public void The_message_has_rfc5322_headers_from_the_config_and_reads_back()
    {
        var message = ReportEmail.Message(ReportView.Of(HandBuiltReports.Full()), Config, new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        var read = MimeMessage.Load(stream);

        Assert.Equal("hmmci@example.org", read.From.Mailboxes.Single().Address);
        Assert.Equal(["jgg@nvidia.com"], read.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["linux-mm@kvack.org", "airlied@gmail.com"], read.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal("hmmci: the hmm tree is not ready to be merged into drm, rdma (6 problems, 2 warnings)", read.Subject);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero), read.Date);
        Assert.False(string.IsNullOrEmpty(read.MessageId));
        Assert.Equal(ReportEmail.Body(ReportView.Of(HandBuiltReports.Full())), read.TextBody!.Replace("\r\n", "\n"));
    }

    [Fact]
    public async Task Sending_goes_over_starttls_with_the_login_from_the_environment_and_the_server_gets_the_message()
    {
        using var server = new SmtpTestServer();
        var environment = new Dictionary<string, string> { [EmailSender.UserVariable] = "hmmci", [EmailSender.PasswordVariable] = "s3cret" };
        var message = ReportEmail.Message(ReportView.Of(HandBuiltReports.Full()), Config, DateTimeOffset.UtcNow);

        var said = await new EmailSender(new SmtpConfig("127.0.0.1", server.Port), environment.GetValueOrDefault, server.Validate).SendAsync(message);
        await server.Finished.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(server.LoggedInOverTls);
        Assert.Equal("hmmci:s3cret", server.Login);
        Assert.StartsWith("MAIL FROM:<hmmci@example.org>", server.MailFrom);
        Assert.Equal(["jgg@nvidia.com", "linux-mm@kvack.org", "airlied@gmail.com"], server.Recipients);
        var received = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(server.Data!)));
        Assert.Equal(message.Subject, received.Subject);
        Assert.Contains("Today's test merge of the hmm tree into the rdma tree got a conflict", received.TextBody);
        Assert.StartsWith("sent report.eml to jgg@nvidia.com, linux-mm@kvack.org, airlied@gmail.com via 127.0.0.1:", said);
    }

    [Fact]
    public async Task A_server_without_starttls_is_refused_before_any_credential_is_sent()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var received = new System.Text.StringBuilder();
        var serve = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            var reader = new StreamReader(stream);
            async Task Say(string s) { await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(s + "\r\n")); }
            await Say("220 plain ESMTP");
            while (await reader.ReadLineAsync() is { } line)
            {
                received.AppendLine(line);
                if (line.StartsWith("EHLO", StringComparison.Ordinal)) await Say("250-plain\r\n250 AUTH PLAIN");
                else if (line.StartsWith("QUIT", StringComparison.Ordinal)) { await Say("221 bye"); break; }
                else await Say("502 no");
            }
        });
        var environment = new Dictionary<string, string> { [EmailSender.UserVariable] = "hmmci", [EmailSender.PasswordVariable] = "s3cret" };

        await Assert.ThrowsAnyAsync<Exception>(() => new EmailSender(new SmtpConfig("127.0.0.1", port), environment.GetValueOrDefault)
            .SendAsync(ReportEmail.Message(ReportView.Of(HandBuiltReports.Full()), Config, DateTimeOffset.UtcNow)));
        listener.Stop();
        await Task.WhenAny(serve, Task.Delay(5000));
        Assert.DoesNotContain("AUTH", received.ToString());
    }
}
