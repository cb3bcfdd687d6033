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
    public static HttpProbeResult HttpGet(string address, int port, string path = "/", int timeoutMs = 10000) => HttpGetFrom(null, address, port, path, timeoutMs);

    /// <summary>As <see cref="HttpGet"/>, from the local address <paramref name="from"/> (any port) when it is not null.</summary>
    public static HttpProbeResult HttpGetFrom(string? from, string address, int port, string path = "/", int timeoutMs = 10000)
    {
        var ip = IPAddress.Parse(address.Trim('[', ']'));
        using var s = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs };
        if (from is not null) s.Bind(new IPEndPoint(IPAddress.Parse(from.Trim('[', ']')), 0));
        Connect(s, new IPEndPoint(ip, port), timeoutMs);
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
        s.Connect(new IPEndPoint(ip, port)); // UDP: no handshake, nothing to wait for
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

    /// <summary>
    /// Connects <paramref name="s"/> within <paramref name="timeoutMs"/>, as a blocking connect does, only bounded: a lost
    /// SYN (or a Unix listener whose backlog stays full) would otherwise wait for the kernel's retries (minutes). Linux
    /// bounds a blocking connect by the socket's send timeout (SO_SNDTIMEO: net/ipv4/af_inet.c __inet_stream_connect
    /// and net/unix/af_unix.c unix_stream_connect wait sock_sndtimeo()), so the connect is the same system call with the
    /// same outcomes as an unbounded one (a reset that follows an accepted handshake is seen by the next receive, not by
    /// the connect; a full Unix backlog is waited on). Throws SocketException(TimedOut) when the time is up, and whatever
    /// the connect failed with otherwise (ConnectionRefused for a closed port). The socket's own send timeout is kept.
    /// </summary>
    public static void Connect(Socket s, EndPoint to, int timeoutMs = 10000)
    {
        if (!s.Blocking) throw new ArgumentException("A bounded blocking connect needs a blocking socket.", nameof(s));
        int sendTimeout = s.SendTimeout;
        s.SendTimeout = timeoutMs;
        try
        {
            s.Connect(to);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress or SocketError.TimedOut)
        {
            // the kernel's own timeout ran out: EINPROGRESS (TCP, still in SYN-SENT) or EAGAIN (Unix, backlog full)
            throw new SocketException((int)SocketError.TimedOut);
        }
        finally
        {
            s.SendTimeout = sendTimeout;
        }
    }

    /// <summary>Reads one line ending in \n (returned without it), byte by byte; throws IOException when the peer closes first.</summary>
    public static string ReadLine(Socket s)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (true)
        {
            if (s.Receive(one) == 0) throw new IOException("the connection closed after: " + sb);
            if (one[0] == (byte)'\n') return sb.ToString().TrimEnd('\r');
            sb.Append((char)one[0]);
        }
    }

    /// <summary>
    /// What a TCP connection to <paramref name="to"/> (from <paramref name="from"/> when given) meets, told apart
    /// exactly: the connect refused, a reset after the accept, a clean close, data, or nothing at all in time.
    /// </summary>
    public static ConnectOutcome Probe(IPEndPoint to, IPAddress? from = null, int timeoutMs = 5000)
    {
        using var s = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = timeoutMs };
        if (from is not null) s.Bind(new IPEndPoint(from, 0));
        try
        {
            Connect(s, to, timeoutMs);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.TimedOut or SocketError.ConnectionReset)
        {
            // a reset can overtake the connect's completion on loopback: accepted and reset, not refused
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => ConnectOutcome.Refused,
                SocketError.ConnectionReset => ConnectOutcome.Reset,
                _ => ConnectOutcome.TimedOut,
            };
        }
        try
        {
            return s.Receive(new byte[1]) > 0 ? ConnectOutcome.Data : ConnectOutcome.Closed;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.TimedOut or SocketError.WouldBlock)
        {
            return e.SocketErrorCode == SocketError.ConnectionReset ? ConnectOutcome.Reset : ConnectOutcome.TimedOut;
        }
    }
}

/// <summary>What <see cref="LoopbackClient.Probe"/> saw.</summary>
public enum ConnectOutcome
{
    /// <summary>The connect itself was refused (RST to the SYN): nothing listens there.</summary>
    Refused,

    /// <summary>The connection was accepted and then reset (an abortive close).</summary>
    Reset,

    /// <summary>The connection was accepted and closed cleanly without data.</summary>
    Closed,

    /// <summary>The connection was accepted and data came.</summary>
    Data,

    /// <summary>Neither the connect nor the first read finished in time.</summary>
    TimedOut,
}
