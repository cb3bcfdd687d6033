using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LvsPs.TestBackends;

/// <summary>
/// A minimal HTTP/1.1 server on a loopback endpoint, standing in for a real server. Every response names the backend
/// (its body starts with the name) and closes the connection. <c>GET /bytes/N</c> answers with N bytes of body.
/// </summary>
public sealed class HttpBackend : TcpTestServer
{
    private int _requests;

    public HttpBackend(string name, IPEndPoint endPoint) : base(endPoint)
    {
        Name = name;
        StartAccepting();
    }

    /// <summary>Starts a backend on <paramref name="address"/> and a free port (or the given one).</summary>
    public static HttpBackend Start(string name, string address = "127.0.0.1", int port = 0) => new(name, new IPEndPoint(IPAddress.Parse(address), port));

    public string Name { get; }

    public int Requests => Volatile.Read(ref _requests);


    protected override async Task ServeAsync(Socket s)
    {
        using (s)
        {
            try
            {
                var request = await ReadHeadAsync(s).ConfigureAwait(false);
                if (request is null) return;
                Interlocked.Increment(ref _requests);
                var path = request.Split(' ').ElementAtOrDefault(1) ?? "/";
                byte[] body;
                if (path.StartsWith("/bytes/", StringComparison.Ordinal) && int.TryParse(path["/bytes/".Length..], out var n))
                {
                    body = new byte[Math.Clamp(n, 0, 64 << 20)];
                    Encoding.ASCII.GetBytes(Name).AsSpan(0, Math.Min(Name.Length, body.Length)).CopyTo(body);
                }
                else
                {
                    body = Encoding.ASCII.GetBytes(Name + "\n");
                }
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nX-Backend: {Name}\r\nConnection: close\r\n\r\n");
                await s.SendAsync(head, SocketFlags.None).ConfigureAwait(false);
                await s.SendAsync(body, SocketFlags.None).ConfigureAwait(false);
                s.Shutdown(SocketShutdown.Send);
                // drain until the client closes, so the close is the client's and the relay sees both FINs
                var sink = new byte[1024];
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                while (await s.ReceiveAsync(sink, SocketFlags.None, cts.Token).ConfigureAwait(false) > 0) { }
            }
            catch (Exception)
            {
                // a client that went away: nothing to serve
            }
        }
    }

    private static async Task<string?> ReadHeadAsync(Socket s)
    {
        var buffer = new byte[8192];
        int total = 0;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (total < buffer.Length)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(total), SocketFlags.None, cts.Token).ConfigureAwait(false);
            if (n == 0) return null;
            total += n;
            var text = Encoding.ASCII.GetString(buffer, 0, total);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0) return text[..end];
        }
        return null;
    }
}
