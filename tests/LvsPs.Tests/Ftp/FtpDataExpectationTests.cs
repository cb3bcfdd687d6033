using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Ftp;

namespace LvsPs.Tests.Ftp;

public class FtpDataExpectationTests
{
    private static bool TryConnect(IPEndPoint to, IPAddress? from = null)
    {
        using var s = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        if (from is not null) s.Bind(new IPEndPoint(from, 0));
        try
        {
            s.Connect(to);
            // a refused peer is reset right after the accept: the read sees the reset (or an end)
            return s.Receive(new byte[1]) > 0;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    [Fact]
    public void Accepts_the_allowed_peer_once_and_refuses_other_addresses()
    {
        Socket? accepted = null;
        using var expectation = FtpDataExpectation.Listen(IPAddress.Loopback, IPAddress.Parse("127.0.0.1"), TimeSpan.FromSeconds(30), s =>
        {
            accepted = s;
            s.Send(new byte[] { 42 });
        })!;
        Assert.False(TryConnect(expectation.LocalEndPoint, IPAddress.Parse("127.0.0.2")));
        Assert.Equal(1, expectation.Refused);
        Assert.False(expectation.IsFinished);
        Assert.True(TryConnect(expectation.LocalEndPoint, IPAddress.Parse("127.0.0.1")));
        Assert.True(expectation.IsFinished);
        Assert.False(expectation.Expired);
        // one-shot: the port is closed once the expected connection came
        Assert.False(TryConnect(expectation.LocalEndPoint, IPAddress.Parse("127.0.0.1")));
        accepted?.Dispose();
    }

    [Fact]
    public void Expires_when_the_connection_never_comes()
    {
        using var expectation = FtpDataExpectation.Listen(IPAddress.Loopback, IPAddress.Loopback, TimeSpan.FromMilliseconds(200), s => s.Dispose())!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!expectation.IsFinished && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.True(expectation.Expired);
        Assert.False(TryConnect(expectation.LocalEndPoint));
    }

    [Fact]
    public void Gives_up_after_too_many_refusals()
    {
        using var expectation = FtpDataExpectation.Listen(IPAddress.Loopback, IPAddress.Parse("127.0.0.9"), TimeSpan.FromSeconds(30), s => s.Dispose())!;
        for (int i = 0; i < FtpDataExpectation.MaxRefused; i++) TryConnect(expectation.LocalEndPoint);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!expectation.IsFinished && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.True(expectation.IsFinished);
        Assert.False(expectation.Expired);
    }
}
