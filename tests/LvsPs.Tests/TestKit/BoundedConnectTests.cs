using System.Net;
using System.Net.Sockets;
using LvsPs.TestBackends;

namespace LvsPs.Tests.TestKit;

/// <summary>
/// The tests' own connect (LoopbackClient.Connect) is bounded, and otherwise behaves as a plain blocking connect: a
/// listener that never accepts (its backlog full, so the kernel drops the SYN or makes a Unix client wait) costs the
/// timeout, not the kernel's minutes of retries.
/// </summary>
public sealed class BoundedConnectTests
{
    [Fact]
    public void A_tcp_connect_to_a_listener_whose_backlog_is_full_times_out_within_the_bound()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        var to = listener.LocalEndPoint!;
        var held = new List<Socket>();
        try
        {
            // fill the accept queue (a backlog of 0 holds one connection): the next SYN is dropped, not refused
            SocketException? timedOut = null;
            for (int i = 0; i < 8 && timedOut is null; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 30000 };
                held.Add(s);
                var started = System.Diagnostics.Stopwatch.StartNew();
                try
                {
                    LoopbackClient.Connect(s, to, timeoutMs: 500);
                }
                catch (SocketException e)
                {
                    timedOut = e;
                    Assert.InRange(started.ElapsedMilliseconds, 400, 20000); // bounded by the 500 ms, not by the kernel's retries
                }
            }
            Assert.NotNull(timedOut);
            Assert.Equal(SocketError.TimedOut, timedOut!.SocketErrorCode);
            Assert.Equal(30000, held[^1].SendTimeout); // the socket's own send timeout is kept
        }
        finally
        {
            foreach (var s in held) s.Dispose();
        }
    }

    [Fact]
    public void A_unix_connect_to_a_full_backlog_times_out_and_a_closed_port_is_refused()
    {
        var path = Path.Combine(Path.GetTempPath(), "lvsps-bounded-" + Guid.NewGuid().ToString("N")[..12]);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(0);
        var held = new List<Socket>();
        try
        {
            SocketException? timedOut = null;
            for (int i = 0; i < 8 && timedOut is null; i++)
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                held.Add(s);
                try
                {
                    LoopbackClient.Connect(s, new UnixDomainSocketEndPoint(path), timeoutMs: 300);
                }
                catch (SocketException e)
                {
                    timedOut = e;
                }
            }
            Assert.Equal(SocketError.TimedOut, timedOut?.SocketErrorCode);
        }
        finally
        {
            foreach (var s in held) s.Dispose();
            File.Delete(path);
        }

        // a port nobody listens on: the connect's own error, at once
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var closed = probe.LocalEndPoint!; // bound, not listening: nothing accepts on it
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = Assert.Throws<SocketException>(() => LoopbackClient.Connect(client, closed, timeoutMs: 5000));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }
}
