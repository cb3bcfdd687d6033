using System.Net;
using LvsPs.TestBackends;
using System.Net.Sockets;
using System.Text;

namespace LvsPs.Tests.Content;

/// <summary>Ports, VIPs and a raw client for the content-routing and client-address tests (loopback only).</summary>
internal static class ContentTestKit
{
    private static int s_nextVip = 200;

    /// <summary>A VIP of its own for each test, in 127.0.200.1 upward (other test classes use lower ones).</summary>
    public static string NextVip() => $"127.0.{Interlocked.Increment(ref s_nextVip) % 250 + 1}.{(Interlocked.Increment(ref s_nextVip) / 250) + 1}";

    public static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>A client socket connected from <paramref name="from"/> (any port) to the VIP.</summary>
    public static Socket Connect(string vip, int port, string from = "127.0.0.77")
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000, SendTimeout = 10_000 };
        s.Bind(new IPEndPoint(IPAddress.Parse(from), 0));
        LoopbackClient.Connect(s, new IPEndPoint(IPAddress.Parse(vip), port));
        return s;
    }

    /// <summary>Sends <paramref name="request"/> and reads until the server closes (or the 10 s timeout).</summary>
    public static string Exchange(Socket s, string request)
    {
        s.Send(Encoding.ASCII.GetBytes(request));
        return ReadToEnd(s);
    }

    public static string ReadToEnd(Socket s)
    {
        var text = new StringBuilder();
        var buffer = new byte[8192];
        try
        {
            int n;
            while ((n = s.Receive(buffer)) > 0) text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            text.Append("<reset>");
        }
        return text.ToString();
    }

    /// <summary>Reads one HTTP response with a Content-Length body (keep-alive: the connection stays open).</summary>
    public static string ReadResponse(Socket s)
    {
        var bytes = new List<byte>();
        var buffer = new byte[1];
        while (true)
        {
            if (s.Receive(buffer) == 0) break;
            bytes.Add(buffer[0]);
            var text = Encoding.ASCII.GetString(bytes.ToArray());
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end < 0) continue;
            var length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            int body = length is null ? 0 : int.Parse(length.Split(':')[1].Trim());
            if (bytes.Count >= end + 4 + body) return text;
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    public static string Get(string host, string path = "/", string extra = "", bool close = true) =>
        $"GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}{(close ? "Connection: close\r\n" : "")}\r\n";

    /// <summary>The body of a response (what follows the head).</summary>
    public static string Body(string response)
    {
        int i = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return i < 0 ? response : response[(i + 4)..];
    }
}
