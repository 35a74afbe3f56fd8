using System.Net.Security;
using HmmCi.Config;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace HmmCi.Reports.Email;

/// <summary>
/// Sends report.eml through the configured mail server, always over STARTTLS. The login is read from the
/// environment (<see cref="UserVariable"/>, <see cref="PasswordVariable"/>) at the moment of sending, never from
/// hmmci.yml, and never logged.
/// </summary>
public sealed class EmailSender(SmtpConfig smtp, Func<string, string?> environment, RemoteCertificateValidationCallback? certificateValidation = null)
{
    public const string UserVariable = "HMMCI_SMTP_USER";
    public const string PasswordVariable = "HMMCI_SMTP_PASSWORD";

    /// <summary>Sends the message; returns the sentence for the log.</summary>
    public async Task<string> SendAsync(MimeMessage message, CancellationToken cancellation = default)
    {
        if (message.To.Count + message.Cc.Count == 0) return "report.eml not sent: report.email names no recipients (to, cc)";
        using var client = new SmtpClient { Timeout = 60_000 };
        // Tests pin their own server's certificate; everywhere else the system's trust store decides.
        if (certificateValidation is not null) client.ServerCertificateValidationCallback = certificateValidation;
        await client.ConnectAsync(smtp.Host, smtp.Port, SecureSocketOptions.StartTls, cancellation);
        if (environment(UserVariable) is { Length: > 0 } user)
            await client.AuthenticateAsync(user, environment(PasswordVariable) ?? "", cancellation);
        var response = await client.SendAsync(message, cancellation);
        await client.DisconnectAsync(true, cancellation);
        return $"sent report.eml to {string.Join(", ", message.To.Concat(message.Cc).OfType<MailboxAddress>().Select(a => a.Address))} via {smtp.Host}:{smtp.Port} ({response})";
    }
}
