using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LvsPs.Model;
using LvsPs.Remote;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Service;

/// <summary>
/// The real director service under requests a careless or hostile local client sends: malformed requests, a 100 MB
/// line, hundreds of idle connections. Each gets an answer or a closed connection, and the service goes on serving.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlProtocolAbuseTests : IDisposable
{
    private readonly DirectorServiceProcess _service = DirectorServiceProcess.StartNew();

    public void Dispose() => _service.Dispose();

    private Socket Connect()
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 20000, SendTimeout = 20000 };
        LoopbackClient.Connect(s, new UnixDomainSocketEndPoint(_service.SocketPath));
        return s;
    }

    /// <summary>One line from the socket (bounded by the receive timeout); null when the service closed the connection.</summary>
    private static string? ReadLine(Socket s)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            if (s.Receive(one) == 0) return bytes.Count == 0 ? null : Encoding.UTF8.GetString(bytes.ToArray());
            if (one[0] == '\n') return Encoding.UTF8.GetString(bytes.ToArray());
            bytes.Add(one[0]);
        }
    }

    private static string? ErrorId(string? responseLine) =>
        responseLine is null ? null
        : JsonDocument.Parse(responseLine).RootElement.TryGetProperty("error", out var e) ? e.GetProperty("errorId").GetString() : "(no error)";

    [Fact]
    public void A_malformed_request_gets_an_error_answer_and_later_changes_go_through()
    {
        using (var raw = Connect())
        {
            var requests = new[]
            {
                """{"op":"AddRealServer","arg":{"service":"tcp/127.0.0.1:80"}}""",
                """{"op":"AddRealServer"}""",
                """{"op":"AddRealServer","arg":null}""",
                """{"op":"AddService","arg":{"id":"tcp/127.0.0.1:80","scheduler":null}}""",
                """{"op":"EditRealServer","arg":{"service":"tcp/127.0.0.1:80","settings":{}}}""",
                """{"op":"SetHealthCheck","arg":{}}""",
                """{"op":"NoSuchOperation"}""",
                """{"arg":1}""",
                "null",
                "{}",
                "[]",
                "not json at all",
                new string('[', 5000) + new string(']', 5000),
            };
            foreach (var request in requests)
            {
                raw.Send(Encoding.UTF8.GetBytes(request + "\n"));
                var answer = ReadLine(raw);
                Assert.True(answer is not null, $"no answer to {request[..Math.Min(60, request.Length)]}");
                Assert.Equal("BadControlRequest", ErrorId(answer));
            }
        }
        // the mutation gate is free: a change on another connection is answered
        using var director = new RemoteDirector(_service.SocketPath);
        var id = VirtualServiceId.Parse("tcp/127.0.0.1:" + FreeTcpPort());
        director.AddService(new VirtualServiceSettings { Id = id });
        director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(System.Net.IPAddress.Loopback, 8080) });
        Assert.Single(director.GetService(id)!.RealServers);
    }

    [Fact]
    public void A_real_server_at_0_0_0_0_is_refused_by_the_model_over_the_socket()
    {
        using var director = new RemoteDirector(_service.SocketPath);
        var id = VirtualServiceId.Parse("tcp/127.0.0.1:" + FreeTcpPort());
        director.AddService(new VirtualServiceSettings { Id = id });
        using var raw = Connect();
        raw.Send(Encoding.UTF8.GetBytes("{\"op\":\"AddRealServer\",\"arg\":{\"service\":\"" + id + "\",\"settings\":{\"id\":\"0.0.0.0:80\"}}}\n"));
        var answer = ReadLine(raw);
        Assert.NotNull(answer);
        Assert.Contains("\"error\"", answer);
        Assert.Empty(director.GetService(id)!.RealServers);
    }

    [Fact]
    public void A_100_MB_line_is_refused_without_growing_the_service()
    {
        using var raw = Connect();
        var chunk = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
        long sent = 0;
        // bounded: at most 100 MiB; the service closes the connection long before
        try
        {
            for (int i = 0; i < 100; i++)
            {
                raw.Send(chunk);
                sent += chunk.Length;
            }
        }
        catch (SocketException)
        {
        }
        Assert.True(sent < 100L << 20, $"the service read all {sent} bytes of one line");
        Assert.Equal("ControlRequestTooLarge", ErrorId(ReadLine(raw)));
        Assert.True(PeakResidentMiB(_service.Pid) < 300, $"the service's peak resident memory is {PeakResidentMiB(_service.Pid)} MiB");
        using var director = new RemoteDirector(_service.SocketPath);
        Assert.Equal(DirectorKind.Service, director.GetInfo().Kind);
    }

    [Fact]
    public void Hundreds_of_idle_connections_do_not_shut_out_a_new_client()
    {
        var idle = new List<Socket>();
        try
        {
            for (int i = 0; i < 300; i++) idle.Add(Connect());
            using var director = new RemoteDirector(_service.SocketPath);
            Assert.Equal(DirectorKind.Service, director.GetInfo().Kind);
            // the oldest idle connections were let go to make room: they read the end of the stream
            Assert.Null(ReadLine(idle[0]));
        }
        finally
        {
            foreach (var s in idle) s.Dispose();
        }
    }

    private static long PeakResidentMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
    }

    private static int FreeTcpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)s.LocalEndPoint!).Port;
    }
}
