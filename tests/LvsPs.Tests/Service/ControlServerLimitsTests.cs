using LvsPs.TestBackends;
using System.Net.Sockets;
using System.Text;
using LvsPs.DirectorService;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.Tests.Service;

/// <summary>The control server's bounds with small limits, in-process: idle time, number of connections, line length.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlServerLimitsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lvsps-ctl-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ManagedDirector _director = new();

    public void Dispose()
    {
        _director.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private ControlServer Start(ControlLimits limits)
    {
        Directory.CreateDirectory(_folder);
        var server = new ControlServer(Path.Combine(_folder, "run", "director.sock"), new ControlDispatcher(_director), _ => { }, limits);
        server.Start();
        return server;
    }

    private Socket Connect()
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 20000 };
        LoopbackClient.Connect(s, new UnixDomainSocketEndPoint(Path.Combine(_folder, "run", "director.sock")));
        return s;
    }

    [Fact]
    public void An_idle_connection_is_closed_after_the_idle_timeout_and_the_client_reconnects()
    {
        using var server = Start(new ControlLimits { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        using var client = new RemoteDirector(Path.Combine(_folder, "run", "director.sock"));
        client.GetInfo();
        using var raw = Connect();
        Assert.Equal(0, raw.Receive(new byte[16])); // the server closed it (bounded by the 20 s receive timeout)
        // and the client's kept connection, idle longer, before it (bounded wait for the server to have let both go)
        SpinWait.SpinUntil(() => server.ConnectionCount == 0, TimeSpan.FromSeconds(20));
        Assert.Equal(0, server.ConnectionCount);
        // the client's kept connection was closed too: a change goes over a new one, not lost
        client.AddService(new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/127.0.0.1:" + FreePort()) });
        Assert.Single(client.GetServices());
    }

    [Fact]
    public void Connections_past_the_limit_let_the_longest_idle_one_go()
    {
        using var server = Start(new ControlLimits { MaxConnections = 4 });
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < 12; i++) sockets.Add(Connect());
            using var client = new RemoteDirector(Path.Combine(_folder, "run", "director.sock"));
            Assert.Equal(DirectorKind.Service, client.GetInfo().Kind);
            Assert.InRange(server.ConnectionCount, 1, 4);
            // the ones idle the longest were let go (connections are served in parallel, so not exactly the first 8):
            // at least 12 + 1 - 4 of them read the end of the stream (bounded wait)
            var deadline = DateTime.UtcNow.AddSeconds(20);
            int closed;
            while ((closed = sockets.Count(s => s.Poll(0, SelectMode.SelectRead) && s.Available == 0)) < 8 && DateTime.UtcNow < deadline) Thread.Sleep(50);
            Assert.True(closed >= 8, $"{closed} of 12 idle connections were closed");
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    [Fact]
    public void A_line_past_the_limit_gets_an_error_and_a_line_at_the_limit_is_read()
    {
        using var server = Start(new ControlLimits { MaxRequestBytes = 1000 });
        using var raw = Connect();
        var atLimit = """{"op":"GetInfo"}""" + new string(' ', 1000 - 16);
        raw.Send(Encoding.ASCII.GetBytes(atLimit + "\n"));
        Assert.Contains("\"result\"", ReadLine(raw));
        raw.Send(Encoding.ASCII.GetBytes(atLimit + " \n"));
        Assert.Contains("ControlRequestTooLarge", ReadLine(raw));
        Assert.Equal(0, raw.Receive(new byte[16]));
    }

    private static int FreePort() => LvsPs.TestBackends.TestAddresses.NewPort();

    private static string ReadLine(Socket s)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (s.Receive(one) == 1 && one[0] != '\n') bytes.Add(one[0]);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
