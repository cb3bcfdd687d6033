using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Ftp;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Ftp;

public class FtpDataExpectationTests
{
    private static ConnectOutcome Probe(IPEndPoint to, IPAddress? from = null) => LoopbackClient.Probe(to, from);

    [Fact]
    public void Accepts_the_allowed_peer_once_and_refuses_other_addresses()
    {
        Socket? accepted = null;
        using var expectation = FtpDataExpectation.Listen(IPAddress.Loopback, IPAddress.Parse("127.0.0.1"), TimeSpan.FromSeconds(30), s =>
        {
            accepted = s;
            s.Send(new byte[] { 42 });
            return Task.CompletedTask;
        })!;
        // a wrong peer is accepted and reset, and the expectation goes on waiting
        Assert.Equal(ConnectOutcome.Reset, Probe(expectation.LocalEndPoint, IPAddress.Parse("127.0.0.2")));
        Assert.Equal(1, expectation.Refused);
        Assert.False(expectation.IsFinished);
        Assert.Equal(ConnectOutcome.Data, Probe(expectation.LocalEndPoint, IPAddress.Parse("127.0.0.1")));
        Assert.True(expectation.IsFinished);
        Assert.False(expectation.Expired);
        // one-shot: the port is closed once the expected connection came: the connect itself is refused
        Assert.Equal(ConnectOutcome.Refused, Probe(expectation.LocalEndPoint, IPAddress.Parse("127.0.0.1")));
        Assert.Equal(1, expectation.Refused);
        accepted?.Dispose();
    }

    private static Task Close(Socket s)
    {
        s.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Is_handed_on_when_the_task_the_accepted_connection_started_completes()
    {
        var passedOn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var accepted = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var expectation = FtpDataExpectation.Listen(IPAddress.Loopback, IPAddress.Loopback, TimeSpan.FromSeconds(30), s =>
        {
            accepted.SetResult(s);
            return passedOn.Task;
        })!;
        Assert.False(expectation.PeerArrived);
        Assert.False(expectation.HandedOn.IsCompleted);
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        LoopbackClient.Connect(peer, expectation.LocalEndPoint);
        using var _ = await accepted.Task.WaitAsync(TimeSpan.FromSeconds(10)); // throws TimeoutException when it never comes
        Assert.True(expectation.PeerArrived);
        Assert.False(expectation.HandedOn.IsCompleted); // accepted, not yet passed on
        passedOn.SetResult();
        await expectation.HandedOn.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Expires_when_the_connection_never_comes()
    {
        using var expectation = FtpDataExpectation.Listen(IPAddress.Loopback, IPAddress.Loopback, TimeSpan.FromMilliseconds(200), Close)!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!expectation.IsFinished && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.True(expectation.Expired);
        Assert.Equal(0, expectation.Refused);
        Assert.False(expectation.PeerArrived);
        Assert.True(expectation.HandedOn.IsCompletedSuccessfully); // nothing to wait for: nothing came
        Assert.Equal(ConnectOutcome.Refused, Probe(expectation.LocalEndPoint));
    }

    [Fact]
    public void Gives_up_after_too_many_refusals()
    {
        using var expectation = FtpDataExpectation.Listen(IPAddress.Loopback, IPAddress.Parse("127.0.0.9"), TimeSpan.FromSeconds(30), Close)!;
        for (int i = 0; i < FtpDataExpectation.MaxRefused; i++) Assert.Equal(ConnectOutcome.Reset, Probe(expectation.LocalEndPoint));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!expectation.IsFinished && DateTime.UtcNow < deadline) Thread.Sleep(20);
        Assert.True(expectation.IsFinished);
        Assert.False(expectation.Expired);
        Assert.Equal(FtpDataExpectation.MaxRefused, expectation.Refused);
        Assert.Equal(ConnectOutcome.Refused, Probe(expectation.LocalEndPoint));
    }
}
