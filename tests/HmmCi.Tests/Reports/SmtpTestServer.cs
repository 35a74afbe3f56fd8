using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HmmCi.Tests.Reports;

/// <summary>
/// A minimal SMTP server on 127.0.0.1 for one session: STARTTLS with a self-signed certificate, AUTH PLAIN only
/// after TLS (as real servers require), and the message as it arrived after DATA.
/// </summary>
public sealed class SmtpTestServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Task _session;

    public SmtpTestServer()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        _listener.Start();
        _session = Task.Run(ServeAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public X509Certificate2 Certificate { get; }
    public string? Login { get; private set; }
    public bool LoggedInOverTls { get; private set; }
    public string? MailFrom { get; private set; }
    public List<string> Recipients { get; } = [];
    public string? Data { get; private set; }

    /// <summary>Trusts exactly this server's certificate.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    public Task Finished => _session;

    private async Task ServeAsync()
    {
        using var client = await _listener.AcceptTcpClientAsync();
        Stream stream = client.GetStream();
        var tls = false;
        await Send(stream, "220 127.0.0.1 ESMTP hmmci-test");
        while (await ReadLine(stream) is { } line)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await Send(stream, tls ? "250-127.0.0.1\r\n250-8BITMIME\r\n250 AUTH PLAIN" : "250-127.0.0.1\r\n250-8BITMIME\r\n250 STARTTLS");
                    break;
                case "STARTTLS":
                    await Send(stream, "220 go ahead");
                    var ssl = new SslStream(stream);
                    await ssl.AuthenticateAsServerAsync(Certificate);
                    stream = ssl;
                    tls = true;
                    break;
                case "AUTH" when tls:
                    var plain = Encoding.UTF8.GetString(Convert.FromBase64String(line.Split(' ')[2])).Split('\0');
                    Login = $"{plain[1]}:{plain[2]}";
                    LoggedInOverTls = true;
                    await Send(stream, "235 2.7.0 authenticated");
                    break;
                case "MAIL":
                    MailFrom = line;
                    await Send(stream, "250 ok");
                    break;
                case "RCPT":
                    Recipients.Add(line[(line.IndexOf('<') + 1)..line.IndexOf('>')]);
                    await Send(stream, "250 ok");
                    break;
                case "DATA":
                    await Send(stream, "354 end with .");
                    var data = new StringBuilder();
                    while (await ReadLine(stream) is { } l && l != ".") data.Append(l.StartsWith("..", StringComparison.Ordinal) ? l[1..] : l).Append("\r\n");
                    Data = data.ToString();
                    await Send(stream, "250 2.0.0 queued as 4242");
                    break;
                case "QUIT":
                    await Send(stream, "221 bye");
                    return;
                default:
                    await Send(stream, "530 5.7.0 must issue STARTTLS first");
                    break;
            }
        }
    }

    private static async Task Send(Stream stream, string reply)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(reply + "\r\n"));
        await stream.FlushAsync();
    }

    /// <summary>One CRLF line, read byte by byte so nothing is buffered past a STARTTLS.</summary>
    private static async Task<string?> ReadLine(Stream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n') return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
            bytes.Add(one[0]);
        }
        return bytes.Count == 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
    }

    public void Dispose()
    {
        _listener.Stop();
        Certificate.Dispose();
    }
}
