using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.DirectorService.Metrics;

/// <summary>
/// Serves GET /metrics in the Prometheus text format on one TCP endpoint (loopback by default). A deliberately small
/// HTTP/1.1 responder: one request per connection, bounded request size and time.
/// </summary>
internal sealed class MetricsEndpoint : IDisposable
{
    private readonly Socket _listener;
    private readonly IDirectorBackend _director;
    private readonly Action<string> _log;
    private readonly Func<string>? _more;
    private volatile bool _stopped;

    /// <summary>Serves the director's metrics, and <paramref name="more"/>'s text after them (the failover pair's).</summary>
    public MetricsEndpoint(IPEndPoint endPoint, IDirectorBackend director, Action<string> log, Func<string>? more = null)
    {
        _more = more;
        _director = director;
        _log = log;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(endPoint);
        _listener.Listen(64);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public void Start() => _ = AcceptLoop.RunAsync(_listener, () => _stopped, client => _ = ServeAsync(client));

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var head = await ReadHeadAsync(client, timeout.Token).ConfigureAwait(false);
                var parts = head?.Split(' ');
                string status, body, type = "text/plain; charset=utf-8";
                if (parts is not { Length: >= 2 })
                {
                    status = "400 Bad Request";
                    body = "bad request\n";
                }
                else if (parts[0] != "GET" && parts[0] != "HEAD")
                {
                    status = "405 Method Not Allowed";
                    body = "only GET\n";
                }
                else if (parts[1] is "/metrics" or "/")
                {
                    status = "200 OK";
                    var health = _director is IHealthMonitoring h ? h.GetHealth() : Array.Empty<RealServerHealth>();
                    body = PrometheusText.Render(_director.GetServices(), health) + _more?.Invoke();
                    type = PrometheusText.ContentType;
                }
                else
                {
                    status = "404 Not Found";
                    body = "try /metrics\n";
                }
                var bodyBytes = Encoding.UTF8.GetBytes(body);
                var response = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {bodyBytes.Length}\r\nConnection: close\r\n\r\n");
                await client.SendAsync(response, SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (parts?[0] != "HEAD") await client.SendAsync(bodyBytes, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or LvsException)
            {
                if (e is LvsException) _log("metrics: " + e.Message);
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(Socket s, CancellationToken cancellation)
    {
        var buffer = new byte[8192];
        int total = 0;
        while (total < buffer.Length)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (n == 0) return null;
            total += n;
            var text = Encoding.ASCII.GetString(buffer, 0, total);
            int end = text.IndexOf("\r\n", StringComparison.Ordinal);
            if (end >= 0 && text.Contains("\r\n\r\n", StringComparison.Ordinal)) return text[..end];
        }
        return null;
    }

    public void Dispose()
    {
        _stopped = true;
        _listener.Dispose();
    }
}
