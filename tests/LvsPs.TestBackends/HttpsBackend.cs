using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace LvsPs.TestBackends;

/// <summary>
/// An HTTPS/1.1 server on a loopback endpoint with a self-signed certificate made at start (a real TLS handshake, as a
/// real server with its own certificate does). Every response is 200 with the backend's name as body, then a close.
/// </summary>
public sealed class HttpsBackend : TcpTestServer
{
    private readonly X509Certificate2 _certificate;
    private int _handshakes;

    public HttpsBackend(string name, IPEndPoint endPoint) : base(endPoint, backlog: 64, reuseAddress: false)
    {
        Name = name;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _certificate = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null); // a key SslStream can use on Linux
        StartAccepting();
    }

    public static HttpsBackend Start(string name, string address = "127.0.0.1", int port = 0) => new(name, new IPEndPoint(IPAddress.Parse(address), port));

    public string Name { get; }

    /// <summary>TLS handshakes completed (so a test can tell the client really spoke TLS).</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);


    protected override async Task ServeAsync(Socket s)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        timeout.CancelAfter(TimeSpan.FromSeconds(10)); // every exchange bounded
        try
        {
            await using var tls = new SslStream(new NetworkStream(s, ownsSocket: true));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, timeout.Token).ConfigureAwait(false);
            Interlocked.Increment(ref _handshakes);
            var buffer = new byte[4096];
            int total = 0;
            while (total < buffer.Length)
            {
                int n = await tls.ReadAsync(buffer.AsMemory(total), timeout.Token).ConfigureAwait(false);
                if (n == 0) return;
                total += n;
                if (Encoding.ASCII.GetString(buffer, 0, total).Contains("\r\n\r\n", StringComparison.Ordinal)) break;
            }
            var body = Encoding.ASCII.GetBytes(Name + "\n");
            var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            await tls.WriteAsync(head, timeout.Token).ConfigureAwait(false);
            await tls.WriteAsync(body, timeout.Token).ConfigureAwait(false);
            await tls.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // a client that went away or spoke plain HTTP
        }
    }

    protected override void Stopped() => _certificate.Dispose();
}
