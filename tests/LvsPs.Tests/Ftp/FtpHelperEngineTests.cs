using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Ftp;

/// <summary>
/// The FTP helper in the managed director, against a scripted FTP-like real server on loopback: the test plays both
/// the server and the client, sends replies and commands split at awkward places, and checks what arrives.
/// </summary>
public sealed partial class FtpHelperEngineTests : IDisposable
{
    private readonly ManagedDirector _director = new(new ManagedDirectorOptions { RunEstimator = false, FtpDataTimeout = TimeSpan.FromSeconds(1) });
    private readonly List<IDisposable> _owned = new();

    public void Dispose()
    {
        _director.Dispose();
        foreach (var o in _owned) o.Dispose();
    }

    private T Own<T>(T d) where T : IDisposable
    {
        _owned.Add(d);
        return d;
    }

    private Socket Listen(IPAddress address)
    {
        var s = Own(new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp));
        s.Bind(new IPEndPoint(address, 0));
        s.Listen(8);
        return s;
    }

    private Socket Accept(Socket listener)
    {
        var accept = listener.AcceptAsync();
        Assert.True(accept.Wait(TimeSpan.FromSeconds(10)), "timed out waiting for a connection");
        var s = Own(accept.Result);
        s.ReceiveTimeout = 10000;
        return s;
    }

    private Socket Connect(IPEndPoint to)
    {
        var s = Own(new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10000, NoDelay = true });
        LoopbackClient.Connect(s, to);
        return s;
    }

    private static void SendInPieces(Socket s, string text, int pieceSize)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        for (int i = 0; i < bytes.Length; i += pieceSize)
        {
            s.Send(bytes.AsSpan(i, Math.Min(pieceSize, bytes.Length - i)));
            Thread.Sleep(2);
        }
    }

    private static string ReadLine(Socket s)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (!sb.ToString().EndsWith('\n'))
        {
            if (s.Receive(one) == 0) throw new IOException("closed after: " + sb);
            sb.Append((char)one[0]);
        }
        return sb.ToString();
    }

    /// <summary>Nothing listens at <paramref name="to"/> any more: the connect itself is refused (not a timeout, not a close).</summary>
    private static void AssertRefused(IPEndPoint to) => Assert.Equal(ConnectOutcome.Refused, LoopbackClient.Probe(to));

    private static void AssertRelays(Socket a, Socket b, string text)
    {
        a.Send(Encoding.ASCII.GetBytes(text));
        var buffer = new byte[text.Length];
        int got = 0;
        while (got < buffer.Length)
        {
            int n = b.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            if (n == 0) break;
            got += n;
        }
        Assert.Equal(text, Encoding.ASCII.GetString(buffer, 0, got));
    }

    /// <summary>A service with the FTP helper on <paramref name="vip"/> and one scripted real server; returns the client's and the server's control sockets.</summary>
    private (VirtualServiceId Id, Socket Client, Socket Server, IPAddress ServerAddress) Control(IPAddress vip)
    {
        var serverAddress = vip.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        var realServer = Listen(serverAddress);
        var port = (ushort)TestAddresses.NewPort();
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, vip, port);
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr", Helper = ApplicationHelper.Ftp });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(serverAddress, (ushort)((IPEndPoint)realServer.LocalEndPoint!).Port) });
        var client = Connect(new IPEndPoint(vip, port));
        var server = Accept(realServer);
        SendInPieces(server, "220 scripted FTP\r\n", 5);
        Assert.Equal("220 scripted FTP\r\n", ReadLine(client));
        return (id, client, server, serverAddress);
    }

    private static IPAddress NextVip() => IPAddress.Parse(TestAddresses.NewVip());

    [GeneratedRegex(@"\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)")]
    private static partial Regex HostPort();

    private static IPEndPoint ParseHostPort(string line)
    {
        var m = HostPort().Match(line);
        Assert.True(m.Success, line);
        int N(int i) => int.Parse(m.Groups[i].Value);
        return new IPEndPoint(IPAddress.Parse($"{N(1)}.{N(2)}.{N(3)}.{N(4)}"), N(5) * 256 + N(6));
    }

    [Fact]
    public void Passive_227_split_and_multi_line_is_rewritten_to_the_vip_and_the_data_connection_reaches_the_same_real_server()
    {
        var vip = NextVip();
        var (id, client, server, serverAddress) = Control(vip);
        var serverData = Listen(serverAddress);
        var dataPort = ((IPEndPoint)serverData.LocalEndPoint!).Port;

        // a FEAT-like multi-line reply with a line that looks like a 227 passes untouched
        const string feat = "211-Features:\r\n227 Entering Passive Mode (10,9,8,7,6,5)\r\n211 End\r\n";
        SendInPieces(server, feat, 7);
        Assert.Equal(feat, ReadLine(client) + ReadLine(client) + ReadLine(client));

        SendInPieces(client, "PA", 2);
        SendInPieces(client, "SV\r\n", 1);
        Assert.Equal("PASV\r\n", ReadLine(server));
        SendInPieces(server, $"227-Entering Passive Mode\r\n227 Here: (127,0,0,1,{dataPort >> 8},{dataPort & 255}).\r\n", 3);
        Assert.Equal("227-Entering Passive Mode\r\n", ReadLine(client));
        var announced = ParseHostPort(ReadLine(client));
        Assert.Equal(vip, announced.Address);
        Assert.NotEqual(dataPort, announced.Port);

        // from another address: refused, and the expectation still waits for the right client
        AssertResetFrom(announced, IPAddress.Parse("127.0.0.2"));
        var clientData = Connect(announced);
        var serverSide = Accept(serverData);
        AssertRelays(clientData, serverSide, "listing\r\n");
        AssertRelays(serverSide, clientData, "upload");
        // one-shot: the port is gone; a port never announced was never open
        AssertRefused(announced);

        var rs = _director.GetService(id)!.RealServers.Single();
        Assert.Equal(2ul, rs.Stats.Connections); // the control and the data connection
        Assert.Equal(2, rs.ActiveConnections);
        Assert.Equal(2ul, _director.GetService(id)!.Stats.Connections);
    }

    /// <summary>The expectation's listener takes the connection from a wrong address and resets it (refused in FTP terms), still waiting.</summary>
    private static void AssertResetFrom(IPEndPoint to, IPAddress from) => Assert.Equal(ConnectOutcome.Reset, LoopbackClient.Probe(to, from));

    [Fact]
    public void An_announced_data_connection_that_never_comes_expires()
    {
        var (_, client, server, _) = Control(NextVip());
        SendInPieces(client, "PASV\r\n", 6);
        Assert.Equal("PASV\r\n", ReadLine(server));
        SendInPieces(server, "227 Entering Passive Mode (127,0,0,1,200,1)\r\n", 100);
        var announced = ParseHostPort(ReadLine(client));
        Thread.Sleep(TimeSpan.FromSeconds(2)); // FtpDataTimeout is 1 s here
        AssertRefused(announced);
    }

    [Fact]
    public void Active_port_is_rewritten_and_the_server_connection_reaches_the_client_from_the_vip()
    {
        var vip = NextVip();
        var (id, client, server, _) = Control(vip);
        var clientData = Listen(IPAddress.Loopback);
        int clientPort = ((IPEndPoint)clientData.LocalEndPoint!).Port;
        SendInPieces(client, $"PORT 127,0,0,1,{clientPort >> 8},{clientPort & 255}\r\n", 4);
        var line = ReadLine(server);
        var m = Regex.Match(line, @"^PORT (\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\r\n$");
        Assert.True(m.Success, line);
        var announced = ParseHostPort("(" + line[5..^2] + ")");
        Assert.NotEqual(clientPort, announced.Port);

        var serverData = Connect(announced);
        var clientSide = Accept(clientData);
        Assert.Equal(vip, ((IPEndPoint)clientSide.RemoteEndPoint!).Address);
        AssertRelays(serverData, clientSide, "file contents");
        Assert.Equal(2ul, _director.GetService(id)!.RealServers.Single().Stats.Connections);
    }

    /// <summary>
    /// In active mode a reply the real server sends after connecting its data connection reaches the client only once
    /// that connection waits on the client's listener. Through IPVS the server's connect reaches the client before the
    /// server can reply; the director connects on to the client by itself, later, so it holds the replies until then.
    /// curl 7.88 depends on that order: after the 1xx reply to LIST in active mode, a control connection with more to read
    /// while no data connection waits is CURLE_WEIRD_SERVER_REPLY, exit code 8 (lib/ftp.c, ReceivedServerConnect).
    /// </summary>
    [Fact]
    public void Active_mode_replies_wait_until_the_data_connection_reached_the_client()
    {
        var (_, client, server, _) = Control(NextVip());
        // the client's data listener has room for two waiting connections (backlog 1: full past it), which fillers
        // take: the director's first SYN is dropped (a full accept queue drops SYNs, Linux net/ipv4/tcp_input.c
        // tcp_conn_request, counted in ListenOverflows) and its connect completes only with a retransmission, after
        // the fillers have been accepted
        var clientData = Own(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        clientData.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        clientData.Listen(1);
        var listening = (IPEndPoint)clientData.LocalEndPoint!;
        _ = Connect(listening);
        _ = Connect(listening);
        long overflows = ListenOverflows();

        SendInPieces(client, $"EPRT |1|127.0.0.1|{listening.Port}|\r\n", 64);
        var line = ReadLine(server);
        var e = Regex.Match(line, @"^EPRT \|1\|([0-9.]+)\|(\d+)\|\r\n$");
        Assert.True(e.Success, line);
        // as pyftpdlib does: connect the data connection, then reply at once
        var serverData = Connect(new IPEndPoint(IPAddress.Parse(e.Groups[1].Value), int.Parse(e.Groups[2].Value)));
        SendInPieces(server, "200 Active data connection established.\r\n", 64);

        var fillers = new Thread(() =>
        {
            // bounded: the director's SYN comes at once, and is dropped at once
            for (int i = 0; i < 1000 && ListenOverflows() == overflows; i++) Thread.Sleep(10);
            Own(clientData.Accept());
            Own(clientData.Accept());
        });
        fillers.Start();
        Assert.Equal("200 Active data connection established.\r\n", ReadLine(client));
        Assert.True(fillers.Join(TimeSpan.FromSeconds(20)), "the fillers were not accepted");
        Assert.True(clientData.Poll(0, SelectMode.SelectRead), "the reply reached the client before the data connection did");
        AssertRelays(serverData, Accept(clientData), "listing\r\n");
    }

    /// <summary>Listen queue overflows in this network namespace (TcpExt ListenOverflows in /proc/net/netstat).</summary>
    private static long ListenOverflows()
    {
        var lines = File.ReadAllLines("/proc/net/netstat").Where(l => l.StartsWith("TcpExt:", StringComparison.Ordinal)).ToArray();
        var names = lines[0].Split(' ');
        var values = lines[1].Split(' ');
        return long.Parse(values[Array.IndexOf(names, "ListenOverflows")]);
    }

    [Fact]
    public void IPv6_epsv_and_eprt_are_rewritten()
    {
        Assert.True(Socket.OSSupportsIPv6, "this test needs IPv6 on loopback (::1); it fails rather than pass without running");
        var vip = IPAddress.IPv6Loopback;
        var (id, client, server, serverAddress) = Control(vip);

        // passive: 229 split across reads
        var serverData = Listen(serverAddress);
        int dataPort = ((IPEndPoint)serverData.LocalEndPoint!).Port;
        SendInPieces(client, "EPSV\r\n", 3);
        Assert.Equal("EPSV\r\n", ReadLine(server));
        SendInPieces(server, $"229 Entering Extended Passive Mode (|||{dataPort}|)\r\n", 9);
        var reply = ReadLine(client);
        var m = Regex.Match(reply, @"^229 Entering Extended Passive Mode \(\|\|\|(\d+)\|\)\r\n$");
        Assert.True(m.Success, reply);
        int announcedPort = int.Parse(m.Groups[1].Value);
        Assert.NotEqual(dataPort, announcedPort);
        var clientData = Connect(new IPEndPoint(vip, announcedPort));
        AssertRelays(clientData, Accept(serverData), "passive over IPv6");

        // active: EPRT byte by byte
        var clientListener = Listen(IPAddress.IPv6Loopback);
        int clientPort = ((IPEndPoint)clientListener.LocalEndPoint!).Port;
        SendInPieces(client, $"EPRT |2|::1|{clientPort}|\r\n", 1);
        var line = ReadLine(server);
        var e = Regex.Match(line, @"^EPRT \|2\|([0-9a-f:]+)\|(\d+)\|\r\n$");
        Assert.True(e.Success, line);
        var toDirector = new IPEndPoint(IPAddress.Parse(e.Groups[1].Value), int.Parse(e.Groups[2].Value));
        Assert.NotEqual(clientPort, toDirector.Port);
        var serverSide = Connect(toDirector);
        AssertRelays(serverSide, Accept(clientListener), "active over IPv6");

        Assert.Equal(3ul, _director.GetService(id)!.RealServers.Single().Stats.Connections);
    }

    [Fact]
    public void Without_the_helper_replies_pass_untouched()
    {
        var vip = NextVip();
        var realServer = Listen(IPAddress.Loopback);
        var port = (ushort)TestAddresses.NewPort();
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, vip, port);
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)((IPEndPoint)realServer.LocalEndPoint!).Port) });
        var client = Connect(new IPEndPoint(vip, port));
        var server = Accept(realServer);
        SendInPieces(server, "227 Entering Passive Mode (127,0,0,1,200,1)\r\n", 100);
        Assert.Equal("227 Entering Passive Mode (127,0,0,1,200,1)\r\n", ReadLine(client));
    }
}
