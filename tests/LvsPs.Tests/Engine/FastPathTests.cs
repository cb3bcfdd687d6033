using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Engine;
using LvsPs.Engine.Bpf;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Engine;

/// <summary>The BPF sockmap fast path itself: that relays really go through it, its counters, and the fallback to splice.</summary>
public sealed class FastPathTests : OwningTest
{
    private readonly string _vip = TestAddresses.NewVip();

    private VirtualServiceIdAndListener ServiceToListener(ManagedDirector director)
    {
        var listener = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        var id = LvsPs.Model.VirtualServiceId.Parse($"tcp/{_vip}:{TestAddresses.NewPort()}");
        director.AddService(new LvsPs.Model.VirtualServiceSettings { Id = id, Scheduler = "rr" });
        director.AddRealServer(id, new LvsPs.Model.RealServerSettings
        {
            Id = LvsPs.Model.RealServerId.Create(IPAddress.Loopback, (ushort)((IPEndPoint)listener.LocalEndPoint!).Port),
        });
        return new(id, listener);
    }

    private sealed record VirtualServiceIdAndListener(LvsPs.Model.VirtualServiceId Id, Socket Listener);

    [Fact]
    public void The_assembler_encodes_instructions_as_struct_bpf_insn()
    {
        var a = new BpfAssembler();
        var done = new BpfAssembler.Label();
        a.Mov(BpfReg.R0, 1)                                   // b7: BPF_ALU64 | BPF_MOV | BPF_K
         .JumpIfEqual(BpfReg.R1, 0, done)                     // 15: BPF_JMP | BPF_JEQ | BPF_K, off 1
         .AtomicAdd64(BpfReg.R7, 8, BpfReg.R1)                // db: BPF_STX | BPF_ATOMIC | BPF_DW, imm BPF_ADD
         .Mark(done)
         .LoadMap(BpfReg.R2, 5)                               // 18 with src BPF_PSEUDO_MAP_FD, two slots
         .Exit();                                             // 95
        Assert.Equal(Convert.FromHexString(
            "b700000001000000" + "1501010000000000" + "db17080000000000" + "1812000005000000" + "0000000000000000" + "9500000000000000"),
            a.Assemble());
    }

    [RootFact]
    public void A_plain_connection_goes_through_the_sockmap_counted_by_the_verdict_program_and_leaves_it_when_it_ends()
    {
        var director = Keep(RelayPaths.NewDirector(RelayPaths.Sockmap));
        Assert.Contains("sockmap", director.GetInfo().RelayPath);
        var (id, listener) = ServiceToListener(director);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
        using var server = listener.Accept();
        server.ReceiveTimeout = 5000;
        var path = director.FastPathForTests!;
        Poll.Until(() => path.Linked == 1, "the connection to join the sockmap");

        var request = new byte[100_000];
        client.Send(request);
        var buf = new byte[1 << 16];
        int got = 0;
        while (got < request.Length) got += server.Receive(buf);
        server.Send(Encoding.ASCII.GetBytes("reply"));
        Assert.Equal("reply", Encoding.ASCII.GetString(buf, 0, client.Receive(buf)));

        // the bytes never reached user space: the verdict program counted them, and the listing folds them in
        var stats = director.GetService(id)!.Stats;
        Assert.Equal(100_000ul, stats.BytesIn);
        Assert.Equal(5ul, stats.BytesOut);

        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, server.Receive(buf));
        server.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, client.Receive(buf));
        Poll.Until(() => director.GetConnections().SingleOrDefault()?.State == "TIME_WAIT", "time wait");
        // both sockets leave the sockmap and the slot is free again (the entry shows TIME_WAIT a moment before)
        Poll.Until(() => path.Linked == 0, "the connection to leave the sockmap");
        Assert.Equal(100_000ul, director.GetService(id)!.Stats.BytesIn); // nothing counted twice at the end
    }

    [RootFact]
    public void Bytes_sent_before_the_connection_joined_the_sockmap_are_relayed()
    {
        // the client writes at once, before the director has connected to the real server and linked both sockets
        var director = Keep(RelayPaths.NewDirector(RelayPaths.Sockmap));
        var (id, listener) = ServiceToListener(director);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
        client.Send(Encoding.ASCII.GetBytes("early"));
        using var server = listener.Accept();
        server.ReceiveTimeout = 5000;
        var buf = new byte[100];
        Assert.Equal("early", Encoding.ASCII.GetString(buf, 0, server.Receive(buf)));
        // the early bytes may reach the real server a moment before the link is counted (SO_RCVLOWAT relays them as
        // the last step of linking)
        Poll.Until(() => director.FastPathForTests!.Linked == 1, "the connection to be counted as linked");
    }

    [RootFact]
    public void Bytes_that_either_side_sends_while_its_connection_is_being_linked_are_never_lost()
    {
        // both sides write at once, the real server as soon as it accepts: their first bytes race the linking of the two
        // sockets. A socket that joined the verdict's map before its peer could be redirected towards an empty slot,
        // which drops the bytes (bpf_sk_redirect_map gives SK_DROP), a loss TCP never repairs: the bytes were acked.
        var director = Keep(RelayPaths.NewDirector(RelayPaths.Sockmap));
        var (id, listener) = ServiceToListener(director);
        var buf = new byte[16];
        for (int i = 0; i < 300; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
            LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
            client.Send("c"u8);
            using var server = listener.Accept();
            server.ReceiveTimeout = 5000;
            server.Send("s"u8);
            Assert.True(server.Receive(buf) == 1 && buf[0] == (byte)'c', $"connection {i}: the client's first byte was lost");
            Assert.True(client.Receive(buf) == 1 && buf[0] == (byte)'s', $"connection {i}: the real server's first byte was lost");
        }
    }

    [RootFact]
    public void A_client_that_sends_and_half_closes_at_once_is_relayed_whole_on_either_path()
    {
        // the client's FIN may be in before the real server's side is connected: its socket is then CLOSE_WAIT, which a
        // sockmap does not take, and the connection stays spliced; otherwise it is linked. Either way nothing is lost.
        var director = Keep(RelayPaths.NewDirector(RelayPaths.Sockmap));
        var (id, listener) = ServiceToListener(director);
        for (int i = 0; i < 5; i++)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
            LoopbackClient.Connect(client, new IPEndPoint(IPAddress.Parse(_vip), id.Port));
            client.Send(Encoding.ASCII.GetBytes("early"));
            client.Shutdown(SocketShutdown.Send);
            using var server = listener.Accept();
            server.ReceiveTimeout = 5000;
            var buf = new byte[100];
            int got = 0, n;
            while ((n = server.Receive(buf, got, buf.Length - got, SocketFlags.None)) > 0) got += n;
            Assert.Equal("early", Encoding.ASCII.GetString(buf, 0, got));
            server.Send(Encoding.ASCII.GetBytes("late"));
            server.Shutdown(SocketShutdown.Send);
            Assert.Equal("late", Encoding.ASCII.GetString(buf, 0, client.Receive(buf)));
            Assert.Equal(0, client.Receive(buf));
        }
        Poll.Until(() => director.GetConnections().Count(c => c.State == "TIME_WAIT") == 5, "five TIME_WAIT entries");
        Poll.Until(() => director.FastPathForTests!.Linked == 0, "every connection to leave the sockmap");
        Assert.Equal(25ul, director.GetService(id)!.Stats.BytesIn);
        Assert.Equal(20ul, director.GetService(id)!.Stats.BytesOut);
    }

    [Fact]
    public void A_program_the_verifier_refuses_leaves_the_director_on_splice_with_the_verifier_log_as_the_reason()
    {
        // r0 is never set: the verifier refuses "R0 !read_ok" (kernel/bpf/verifier.c check_return_code)
        var director = Keep(new ManagedDirector(new ManagedDirectorOptions
        {
            RunEstimator = false,
            FastPath = FastPath.Auto,
            FastPathProgram = (_, _) => new BpfAssembler().Exit().Assemble(),
        }));
        Assert.Equal("splice", director.RelayPath);
        Assert.Equal("splice", director.GetInfo().RelayPath);
        Assert.Null(director.FastPathForTests);
        if (RelayPaths.CanUseSockmap) Assert.Contains("R0 !read_ok", director.RelayPathReason);
        else Assert.Contains("not permitted", director.RelayPathReason);

        // and it relays as before
        var backend = Keep(HttpBackend.Start("a"));
        var id = LvsPs.Model.VirtualServiceId.Parse($"tcp/{_vip}:{TestAddresses.NewPort()}");
        director.AddService(new LvsPs.Model.VirtualServiceSettings { Id = id, Scheduler = "rr" });
        director.AddRealServer(id, new LvsPs.Model.RealServerSettings { Id = LvsPs.Model.RealServerId.Create(backend.EndPoint.Address, (ushort)backend.Port) });
        Assert.Equal("a", LoopbackClient.HttpGet(_vip, id.Port).Backend);
    }

    [Fact]
    public void The_fast_path_turned_off_relays_by_splice_and_says_so()
    {
        var director = Keep(new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false, FastPath = FastPath.Off }));
        var info = director.GetInfo();
        Assert.Equal("splice", info.RelayPath);
        Assert.Contains("turned off", info.RelayPathReason);
    }

    [RootFact]
    public void A_full_sockmap_sends_the_next_connection_to_splice()
    {
        var director = Keep(new ManagedDirector(new ManagedDirectorOptions
        {
            RunEstimator = false, FastPath = FastPath.Auto, FastPathConnections = 1, FastPathJoin = LvsPs.Engine.Tcp.FastPathJoin.AtConnect,
        }));
        Assert.Equal("sockmap", director.RelayPath);
        var echo = Keep(TcpEchoBackend.Start());
        var id = LvsPs.Model.VirtualServiceId.Parse($"tcp/{_vip}:{TestAddresses.NewPort()}");
        director.AddService(new LvsPs.Model.VirtualServiceSettings { Id = id, Scheduler = "rr" });
        director.AddRealServer(id, new LvsPs.Model.RealServerSettings { Id = LvsPs.Model.RealServerId.Create(IPAddress.Loopback, (ushort)echo.Port) });
        using var first = NamedConnectionTo(id.Port);
        Poll.Until(() => director.FastPathForTests!.Linked == 1, "the first connection on the fast path");
        using var second = NamedConnectionTo(id.Port);
        Assert.Equal("one", Echo(first, "one"));
        Assert.Equal("two", Echo(second, "two")); // spliced: the map had no room
        Assert.Equal(1, director.FastPathForTests!.Linked);
    }

    private Socket NamedConnectionTo(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        LoopbackClient.Connect(s, new IPEndPoint(IPAddress.Parse(_vip), port));
        return s;
    }

    private static string Echo(Socket s, string text)
    {
        s.Send(Encoding.ASCII.GetBytes(text));
        var buf = new byte[100];
        return Encoding.ASCII.GetString(buf, 0, s.Receive(buf));
    }
}
