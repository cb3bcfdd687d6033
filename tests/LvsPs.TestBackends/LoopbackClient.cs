using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LvsPs.TestBackends;

/// <summary>What one HTTP request through the director returned.</summary>
public sealed record HttpProbeResult(string Backend, int Status, int BodyLength, long BytesSent, long BytesReceived);

/// <summary>Clients that each use a fresh connection or socket, with time limits, for tests and the demo.</summary>
public static class LoopbackClient
{
    /// <summary>One HTTP GET on a new TCP connection; returns which backend answered and the bytes each way.</summary>
    public static HttpProbeResult HttpGet(string address, int port, string path = "/", int timeoutMs = 10000)
    {
        var ip = IPAddress.Parse(address.Trim('[', ']'));
        using var s = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs };
        s.Connect(new IPEndPoint(ip, port));
        var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        s.Send(request);
        var received = new MemoryStream();
        var buffer = new byte[65536];
        int n;
        while ((n = s.Receive(buffer)) > 0) received.Write(buffer, 0, n);
        s.Shutdown(SocketShutdown.Both);
        var all = received.ToArray();
        var text = Encoding.ASCII.GetString(all);
        int headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0) throw new InvalidOperationException($"No HTTP response from {address}:{port} ({all.Length} bytes).");
        var head = text[..headEnd];
        int status = int.Parse(head.Split(' ')[1]);
        var backend = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("X-Backend: ", StringComparison.Ordinal))?["X-Backend: ".Length..] ?? string.Empty;
        return new HttpProbeResult(backend, status, all.Length - headEnd - 4, request.Length, all.Length);
    }

    /// <summary>Sends <paramref name="message"/> from a new UDP socket and returns the reply, or null on timeout.</summary>
    public static string? UdpRequest(string address, int port, string message, int timeoutMs = 5000)
    {
        var ip = IPAddress.Parse(address.Trim('[', ']'));
        using var s = new Socket(ip.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = timeoutMs };
        s.Connect(new IPEndPoint(ip, port));
        s.Send(Encoding.ASCII.GetBytes(message));
        var buffer = new byte[65535];
        try
        {
            int n = s.Receive(buffer);
            return Encoding.ASCII.GetString(buffer, 0, n);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }
}
