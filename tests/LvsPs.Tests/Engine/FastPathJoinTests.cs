using System.Net;
using System.Net.Sockets;
using LvsPs.Engine;
using LvsPs.Engine.Tcp;
using LvsPs.Model;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Engine;

/// <summary>
/// Which plain connections move from splice to the sockmap fast path, and when (<see cref="FastPathJoin"/>): not one
/// request and its answer, not a bulk transfer, a conversation at its second request; and a connection that moves
/// mid-stream, with bytes in flight both ways, loses, repeats and reorders none of them.
/// </summary>
public sealed class FastPathJoinTests : OwningTest
{
    private readonly string _vip = TestAddresses.NewVip();

    [Fact]
    public void The_default_policy_joins_conversations_of_small_messages_at_the_second_turn_and_at_connect_joins_at_once()
    {
        var policy = FastPathJoin.Default;
        Assert.False(policy.Reached(turns: 1, longestRun: 300));        // a request and its answer
        Assert.True(policy.Reached(turns: 2, longestRun: 64 * 1024));    // a second request, no run over 64 KiB
        Assert.False(policy.Reached(turns: 2, longestRun: 64 * 1024 + 1)); // a large answer before it: bulk
        Assert.True(policy.Excluded(64 * 1024 + 1));
        Assert.False(policy.Excluded(64 * 1024));
        Assert.True(FastPathJoin.AtConnect.AtOnce);
        Assert.True(FastPathJoin.AtConnect.Reached(0, long.MaxValue));
        Assert.False(FastPathJoin.AtConnect.Excluded(long.MaxValue));
        Assert.True(new FastPathJoin(1, 0).Reached(1, long.MaxValue)); // no run limit
    }

    [RootFact]
    public void One_request_and_its_answer_stay_spliced()
    {
        var (director, port, listener) = Director();
        using var client = Connect(port);
        using var server = listener.Accept();
        server.ReceiveTimeout = 5000;
        Exchange(client, server, Payload(300, 1), Payload(2000, 2));
        server.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, client.Receive(new byte[16]));
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, server.Receive(new byte[16]));
        Poll.Until(() => director.GetConnections() is { Count: > 0 } all && all.All(c => c.State == "TIME_WAIT"), "time wait");
        Assert.Equal(0, director.FastPathForTests!.Joined);
        var stats = director.GetServices().Single().Stats;
        Assert.Equal(300ul, stats.BytesIn);
        Assert.Equal(2000ul, stats.BytesOut);
    }

    [RootFact]
    public void A_conversation_joins_at_its_second_request_and_every_byte_arrives_once()
    {
        var (director, port, listener) = Director();
        var path = director.FastPathForTests!;
        using var client = Connect(port);
        using var server = listener.Accept();
        server.ReceiveTimeout = 5000;
        ulong sentIn = 0, sentOut = 0;
        for (int i = 0; i < 30; i++)
        {
            var request = Payload(100 + i, i);
            var answer = Payload(500 + 37 * i, 1000 + i);
            Exchange(client, server, request, answer);
            sentIn += (ulong)request.Length;
            sentOut += (ulong)answer.Length;
            if (i == 0) Assert.Equal(0, path.Joined); // one turn: still spliced
            if (i == 1) Poll.Until(() => path.Joined == 1, "the connection to join at its second request");
        }
        Assert.Equal(1, path.Linked);
        server.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, client.Receive(new byte[16]));
        client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, server.Receive(new byte[16]));
        Poll.Until(() => path.Linked == 0, "the connection to leave the sockmap");
        var stats = director.GetServices().Single().Stats;
        Assert.Equal(sentIn, stats.BytesIn);   // spliced bytes and the verdict program's, each counted once
        Assert.Equal(sentOut, stats.BytesOut);
    }

    [RootFact]
    public void A_bulk_transfer_stays_spliced_under_the_default_policy()
    {
        // splice moves long runs of bytes for less CPU than the sockmap (docs/benchmarks.md): a connection whose first run
        // one way is longer than 64 KiB is never offered, whatever it does after
        var (director, port, listener) = Director();
        using var client = Connect(port);
        using var server = listener.Accept();
        server.ReceiveTimeout = 10_000;
        const int Length = 1024 * 1024;
        var up = Task.Run(() => Send(client, Length, seed: 1));
        Assert.Equal(Length, ReadExactlyPattern(server, Length, seed: 1));
        Assert.True(up.Wait(TimeSpan.FromSeconds(30)));
        for (int i = 0; i < 5; i++) Exchange(client, server, Payload(50, i), Payload(80, i)); // small turns after it
        Assert.Equal(0, director.FastPathForTests!.Joined);
    }

    [RootFact]
    public void A_connection_that_joined_relays_bulk_both_ways_at_once_and_loses_none()
    {
        // joins at its first change of direction, with no run limit; then both sides write 4 MiB at once
        var (director, port, listener) = Director(join: new FastPathJoin(1, 0));
        using var client = Connect(port);
        using var server = listener.Accept();
        server.ReceiveTimeout = 10_000;
        Exchange(client, server, Payload(10, 1), Payload(10, 2));
        Poll.Until(() => director.FastPathForTests!.Joined == 1, "the connection to join at its first turn");
        const int Length = 4 * 1024 * 1024;
        var up = Task.Run(() => Send(client, Length, seed: 3));
        var down = Task.Run(() => Send(server, Length, seed: 5));
        var readUp = Task.Run(() => ReadPattern(server, seed: 3));
        var readDown = Task.Run(() => ReadPattern(client, seed: 5));
        Assert.True(Task.WaitAll([up, down], TimeSpan.FromSeconds(60)), "the senders did not finish");
        client.Shutdown(SocketShutdown.Send);
        server.Shutdown(SocketShutdown.Send);
        Assert.True(Task.WaitAll([readUp, readDown], TimeSpan.FromSeconds(60)), "the readers did not finish");
        Assert.Equal(Length, readUp.Result);   // every byte, in order, once, and the FIN after the last one
        Assert.Equal(Length, readDown.Result);
        Poll.Until(() => director.FastPathForTests!.Linked == 0, "the connection to leave the sockmap");
        var stats = director.GetServices().Single().Stats;
        Assert.Equal((ulong)Length + 10, stats.BytesIn);
        Assert.Equal((ulong)Length + 10, stats.BytesOut);
    }

    [RootFact]
    public void A_FIN_right_behind_a_mid_stream_join_waits_for_every_byte_in_front_of_it()
    {
        // the real server reads nothing yet and has a small receive buffer: of the 1.5 MiB the client sends first, most
        // is spliced into the director's send queue towards it (not acknowledged), and the connection joins (at the real
        // server's "ok") with it there. Then 6 MiB more and the client's FIN, while the real server reads slowly: the FIN may be passed on only
        // once the fast path has written all it took, counted from what the socket had written (acknowledged or queued)
        // at the join; counted from the acknowledged bytes only, the FIN went out up to 1.5 MiB early and cut them off.
        var (director, port, listener) = Director(join: new FastPathJoin(1, 0), serverReceiveBuffer: 16 * 1024);
        using var client = Connect(port);
        using var server = listener.Accept();
        server.ReceiveTimeout = 10_000;
        const int First = 1536 * 1024, Length = First + 6 * 1024 * 1024;
        var pattern = Enumerable.Range(0, Length).Select(i => Pattern(i, seed: 9)).ToArray();
        client.Send(pattern, 0, First, SocketFlags.None);
        server.Send("ok"u8); // the first change of direction: the connection joins once "ok" is relayed
        Assert.Equal("ok"u8.ToArray(), ReceiveExactly(client, 2));
        Poll.Until(() => director.FastPathForTests!.Joined == 1, "the connection to join at its first turn");
        var rest = Task.Run(() =>
        {
            client.Send(pattern, First, Length - First, SocketFlags.None);
            client.Shutdown(SocketShutdown.Send);
        });
        Assert.Equal(Length, ReadPattern(server, seed: 9, pauseMs: 2)); // about 30 MB/s: the FIN checks see every stage
        Assert.True(rest.Wait(TimeSpan.FromSeconds(30)), "the client did not finish sending");
    }

    private (ManagedDirector Director, int Port, Socket Listener) Director(FastPathJoin? join = null, int serverReceiveBuffer = 0)
    {
        var director = Keep(new ManagedDirector(new ManagedDirectorOptions
        {
            RunEstimator = false, FastPath = FastPath.Auto, FastPathJoin = join ?? FastPathJoin.Default,
        }));
        Assert.Equal(RelayPaths.Sockmap, director.RelayPath); // RootFact: as root the fast path loads
        Assert.Equal(join ?? FastPathJoin.Default, director.FastPathForTests!.Join);
        if (join is null)
        {
            Assert.Contains("from their second change of direction when no run of bytes one way was over 64 KiB", director.RelayPathReason);
        }
        var listener = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        if (serverReceiveBuffer > 0) listener.ReceiveBufferSize = serverReceiveBuffer; // accepted sockets inherit it
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        int port = TestAddresses.NewPort();
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{port}");
        director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        director.AddRealServer(id, new RealServerSettings
        {
            Id = RealServerId.Create(IPAddress.Loopback, (ushort)((IPEndPoint)listener.LocalEndPoint!).Port),
        });
        return (director, port, listener);
    }

    private Socket Connect(int port)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 10_000 };
        LoopbackClient.Connect(s, new IPEndPoint(IPAddress.Parse(_vip), port));
        return s;
    }

    private static byte[] Payload(int length, int seed) => Enumerable.Range(0, length).Select(i => (byte)(i * 31 + seed)).ToArray();

    /// <summary>The client's request reaches the real server whole, then the answer reaches the client whole.</summary>
    private static void Exchange(Socket client, Socket server, byte[] request, byte[] answer)
    {
        client.Send(request);
        Assert.Equal(request, ReceiveExactly(server, request.Length));
        server.Send(answer);
        Assert.Equal(answer, ReceiveExactly(client, answer.Length));
    }

    private static byte[] ReceiveExactly(Socket s, int length)
    {
        var buffer = new byte[length];
        int got = 0;
        while (got < length)
        {
            int n = s.Receive(buffer, got, length - got, SocketFlags.None);
            if (n == 0) throw new IOException($"the stream ended after {got} of {length} bytes");
            got += n;
        }
        return buffer;
    }

    private static byte Pattern(long i, int seed) => (byte)((i * 7 + i / 251 + seed) & 0xFF);

    private static void Send(Socket s, int length, int seed)
    {
        var chunk = new byte[16 * 1024];
        for (long sent = 0; sent < length;)
        {
            int n = (int)Math.Min(chunk.Length, length - sent);
            for (int i = 0; i < n; i++) chunk[i] = Pattern(sent + i, seed);
            s.Send(chunk, 0, n, SocketFlags.None);
            sent += n;
        }
    }

    /// <summary>Reads <paramref name="length"/> bytes, checking every one against the pattern; the count read.</summary>
    private static int ReadExactlyPattern(Socket s, int length, int seed)
    {
        var bytes = ReceiveExactly(s, length);
        for (int i = 0; i < length; i++)
        {
            if (bytes[i] != Pattern(i, seed)) throw new InvalidDataException($"byte {i} is {bytes[i]}, not {Pattern(i, seed)}");
        }
        return length;
    }

    /// <summary>Reads to the end of the stream, checking every byte against the pattern; the count read.</summary>
    private static int ReadPattern(Socket s, int seed, int pauseMs = 0)
    {
        var buffer = new byte[64 * 1024];
        long got = 0;
        int n;
        while ((n = s.Receive(buffer)) > 0)
        {
            if (pauseMs > 0) Thread.Sleep(pauseMs); // a slow reader (bounded: the stream is finite)
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] != Pattern(got + i, seed))
                    throw new InvalidDataException($"byte {got + i} is {buffer[i]}, not {Pattern(got + i, seed)}: lost, repeated or out of order");
            }
            got += n;
        }
        return (int)got;
    }
}
