using System.Net;
using LvsPs.TestBackends;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using CsCheck;
using LvsPs.Engine.Preface;
using LvsPs.Model;

namespace LvsPs.Tests.Content;

/// <summary>The HTTP/1.x request-head and TLS ClientHello parsers that content rules read, with seeded fuzz runs.</summary>
public sealed class ContentParserTests
{
    private static ParseStatus Http(string text, out ContentRequest? request) => HttpRequestHead.TryParse(Encoding.Latin1.GetBytes(text), out request, out _);

    [Fact]
    public void A_request_head_gives_method_path_host_and_headers()
    {
        Assert.Equal(ParseStatus.Complete, Http("POST /api/v1?x=1 HTTP/1.1\r\nHost: WWW.Example.com:8080\r\nX-Tenant:  blue \r\nCookie: a=1; SRV=b\r\n\r\nbody", out var r));
        Assert.Equal("POST", r!.Method);
        Assert.Equal("/api/v1", r.Path);
        Assert.Equal("WWW.Example.com", r.Host);
        Assert.Equal("blue", r.Header("x-tenant"));
        Assert.Equal("b", r.Cookie("SRV"));
        Assert.Equal(ParseStatus.Complete, Http("GET http://other.example/p/q HTTP/1.1\n\n", out var absolute)); // absolute form, bare LF
        Assert.Equal("other.example", absolute!.Host);
        Assert.Equal("/p/q", absolute.Path);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a")]
    [InlineData("GET / HTTP/1.1\r\n")]
    [InlineData("GE")]
    [InlineData("")]
    public void An_unfinished_head_is_incomplete(string text) => Assert.Equal(ParseStatus.Incomplete, Http(text, out _));

    [Theory]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")]      // two Host fields (RFC 9112 section 3.2)
    [InlineData("GET / HTTP/1.1\r\nHost : a\r\n\r\n")]                // space before the colon
    [InlineData("GET / HTTP/1.1\r\nX: a\r\n folded\r\n\r\n")]         // obs-fold
    [InlineData("GET / HTTP/2.0\r\n\r\n")]
    [InlineData("GET /a b HTTP/1.1\r\n\r\n")]
    [InlineData("G(T / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX: a\u0001b\r\n\r\n")]
    [InlineData("\u0016\u0003\u0001")]                                // TLS is not HTTP
    public void A_malformed_head_is_invalid(string text) => Assert.Equal(ParseStatus.Invalid, Http(text, out _));

    [Fact]
    public void Fuzz_http_heads_never_throw()
    {
        var pieces = Gen.OneOf<string>("GET", "POST", " ", "/", "/a?b", "HTTP/1.1", "HTTP/1.0", "\r\n", "\n", "Host", ":", "Host: a.example", "Cookie: x=1; y", "\t", "\u0000", "\u00ff", "[::1]:80", "*.", "\r\n\r\n");
        var gen = Gen.Frequency((3, pieces.Array[0, 30].Select(a => Encoding.Latin1.GetBytes(string.Concat(a)))), (1, Gen.Byte.Array[0, 200]));
        gen.Sample(bytes =>
        {
            var status = HttpRequestHead.TryParse(bytes, out var request, out int length);
            if (status == ParseStatus.Complete)
            {
                Assert.InRange(length, 1, bytes.Length);
                Assert.NotNull(request!.Method);
            }
        }, seed: ProxyHeaderTests.Seed, iter: 20_000, threads: 1);
    }

    /// <summary>The first flight of a real TLS client (.NET's SslStream), as it comes off the wire.</summary>
    internal static byte[] CaptureClientHello(string serverName)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        LoopbackClient.Connect(client, listener.LocalEndPoint!);
        using var server = listener.Accept();
        using var tls = new SslStream(new NetworkStream(client), false, (_, _, _, _) => true);
        var handshake = tls.AuthenticateAsClientAsync(serverName);
        var bytes = new List<byte>();
        var buffer = new byte[16384];
        server.ReceiveTimeout = 10_000;
        while (true)
        {
            int n = server.Receive(buffer);
            if (n == 0) break;
            bytes.AddRange(buffer.AsSpan(0, n).ToArray());
            if (ClientHello.TryParse(bytes.ToArray(), out _) != ParseStatus.Incomplete) break;
        }
        server.Close(); // the handshake fails: nothing here speaks TLS back
        try { handshake.Wait(10_000); } catch (AggregateException) { }
        return bytes.ToArray();
    }

    [Fact]
    public void The_sni_of_a_real_client_hello_is_read_and_a_cut_one_is_incomplete()
    {
        var hello = CaptureClientHello("shop.example.com");
        Assert.Equal(ParseStatus.Complete, ClientHello.TryParse(hello, out var sni));
        Assert.Equal("shop.example.com", sni);
        for (int cut = 0; cut < hello.Length; cut += 7) Assert.Equal(ParseStatus.Incomplete, ClientHello.TryParse(hello.AsSpan(0, cut), out _));
    }

    [Fact]
    public void A_client_hello_split_over_two_records_is_put_together()
    {
        var hello = CaptureClientHello("split.example");
        int length = hello[3] << 8 | hello[4];
        var body = hello.AsSpan(5, length);
        int half = length / 2;
        var split = new List<byte>();
        split.AddRange([22, 3, 1, (byte)(half >> 8), (byte)half]);
        split.AddRange(body[..half].ToArray());
        split.AddRange([22, 3, 1, (byte)((length - half) >> 8), (byte)(length - half)]);
        split.AddRange(body[half..].ToArray());
        Assert.Equal(ParseStatus.Complete, ClientHello.TryParse(split.ToArray(), out var sni));
        Assert.Equal("split.example", sni);
    }

    [Fact]
    public void Fuzz_client_hellos_with_changed_bytes_never_throw()
    {
        var hello = CaptureClientHello("fuzz.example");
        Gen.Select(Gen.Int[0, hello.Length - 1], Gen.Byte, Gen.Int[1, hello.Length]).Sample((position, value, cut) =>
        {
            var copy = hello.ToArray();
            copy[position] = value;
            var status = ClientHello.TryParse(copy.AsSpan(0, cut), out var sni);
            if (status == ParseStatus.Complete && sni is not null) Assert.DoesNotContain(sni, c => c <= ' ' || c >= 0x7F);
        }, seed: ProxyHeaderTests.Seed, iter: 20_000, threads: 1);
        Gen.Byte.Array[0, 400].Sample(bytes => { ClientHello.TryParse(bytes, out _); }, seed: ProxyHeaderTests.Seed, iter: 10_000, threads: 1);
    }
}
