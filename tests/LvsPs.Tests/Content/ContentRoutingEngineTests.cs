using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.TestBackends;
using static LvsPs.Tests.Content.ContentTestKit;

namespace LvsPs.Tests.Content;

/// <summary>
/// Content rules through the managed engine with real traffic: HTTP/1.x rules to groups of real servers (a real nginx for
/// keep-alive and TLS), SNI without terminating TLS (real curl against nginx with TLS, through the director), and the
/// bounds on what a client may send first.
/// </summary>
public sealed class ContentRoutingEngineTests : IDisposable
{
    private readonly ManagedDirector _director = new(new ManagedDirectorOptions
    {
        RunEstimator = false,
        PrefaceTimeout = TimeSpan.FromSeconds(2),
        MaxRequestHeadBytes = 2048,
    });
    private readonly string _vip = NextVip();
    private readonly List<IDisposable> _keep = new();

    public void Dispose()
    {
        _director.Dispose();
        foreach (var k in _keep) k.Dispose();
    }

    private T Keep<T>(T item) where T : IDisposable
    {
        _keep.Add(item);
        return item;
    }

    private static ContentRule Rule(ContentMatch match, string pattern, string group, string? name = null) =>
        new() { Match = match, Pattern = pattern, Group = group, Name = name };

    private VirtualServiceId Service(IReadOnlyList<ContentRule> rules, string? defaultGroup, params (int Port, string? Group)[] servers)
    {
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr", ContentRules = rules, DefaultGroup = defaultGroup });
        foreach (var (port, group) in servers) _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)port), Group = group });
        return id;
    }

    private string Ask(VirtualServiceId id, string request)
    {
        using var client = Connect(_vip, id.Port);
        return Exchange(client, request);
    }

    [Fact]
    public void Http_rules_send_each_connection_to_its_group_and_the_rest_to_the_default()
    {
        var api = Keep(HttpBackend.Start("api"));
        var img = Keep(HttpBackend.Start("img"));
        var web1 = Keep(HttpBackend.Start("web1"));
        var web2 = Keep(HttpBackend.Start("web2"));
        var id = Service(
            [Rule(ContentMatch.Host, "api.example.com", "api"), Rule(ContentMatch.Host, "*.cdn.example.com", "img"), Rule(ContentMatch.PathPrefix, "/images/", "img"),
             Rule(ContentMatch.Header, "beta", "api", "X-Track"), Rule(ContentMatch.Method, "DELETE", "api")],
            null, (api.Port, "api"), (img.Port, "img"), (web1.Port, null), (web2.Port, null));
        Assert.StartsWith("api", Body(Ask(id, Get("api.example.com:8080"))));
        Assert.StartsWith("img", Body(Ask(id, Get("a.cdn.example.com"))));
        Assert.StartsWith("img", Body(Ask(id, Get("www.example.com", "/images/logo.png"))));
        Assert.StartsWith("api", Body(Ask(id, Get("www.example.com", "/", "X-Track: beta\r\n"))));
        Assert.StartsWith("api", Body(Ask(id, "DELETE /x HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n")));
        // the ungrouped real servers share the rest round-robin: the service's scheduler inside the group
        var rest = Enumerable.Range(0, 4).Select(_ => Body(Ask(id, Get("www.example.com")))[..4]).ToList();
        Assert.Equal(2, rest.Count(b => b == "web1"));
        Assert.Equal(2, rest.Count(b => b == "web2"));
        var listed = _director.GetService(id)!;
        Assert.Equal(3UL, listed.RealServers.Single(r => r.Group == "api").Stats.Connections);
        Assert.Equal(2UL, listed.RealServers.Single(r => r.Group == "img").Stats.Connections);
        Assert.Equal(3, api.Requests);
        Assert.Equal(2, img.Requests);
    }

    [Fact]
    public void A_default_group_takes_what_matches_no_rule_and_an_empty_group_answers_503()
    {
        var a = Keep(HttpBackend.Start("a"));
        var fallback = Keep(HttpBackend.Start("fallback"));
        var id = Service([Rule(ContentMatch.Host, "a.example", "a"), Rule(ContentMatch.Host, "gone.example", "gone")], "fallback",
            (a.Port, "a"), (fallback.Port, "fallback"));
        Assert.StartsWith("fallback", Body(Ask(id, Get("other.example"))));
        Assert.Contains("503 Service Unavailable", Ask(id, Get("gone.example")));
    }

    [Fact]
    public void Behind_a_front_that_sends_the_proxy_protocol_the_rules_read_the_request_after_the_header()
    {
        var a = Keep(HttpBackend.Start("a"));
        var b = Keep(HttpBackend.Start("b"));
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "sh", AcceptProxy = true, ContentRules = [Rule(ContentMatch.Host, "b.example", "b")] });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)a.Port) });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)b.Port), Group = "b" });
        using var client = Connect(_vip, id.Port);
        client.Send(Encoding.ASCII.GetBytes($"PROXY TCP4 198.51.100.20 {_vip} 40000 {id.Port}\r\n" + Get("b.example")));
        Assert.StartsWith("b", Body(ReadToEnd(client)));
        Assert.Contains(_director.GetConnections(), c => c.ClientAddress == "198.51.100.20");
        using var plain = Connect(_vip, id.Port);
        Assert.DoesNotContain("HTTP/1.1", Exchange(plain, Get("b.example"))); // no header: refused before any rule
        Assert.Equal(1, b.Requests);
    }

    [Fact]
    public void A_real_server_moved_to_another_group_takes_that_groups_connections()
    {
        var a = Keep(HttpBackend.Start("a"));
        var id = Service([Rule(ContentMatch.Host, "x.example", "x")], null, (a.Port, null));
        Assert.Contains("503", Ask(id, Get("x.example"))); // nobody in group x yet
        _director.EditRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)a.Port), Group = "x" });
        Assert.StartsWith("a", Body(Ask(id, Get("x.example"))));
        Assert.Equal("x", Assert.Single(_director.GetService(id)!.RealServers).Group);
    }

    [Fact]
    public void Stopping_the_director_closes_connections_still_sending_their_first_request()
    {
        var a = Keep(HttpBackend.Start("a"));
        var director = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false, PrefaceTimeout = TimeSpan.FromMinutes(5) });
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr", ContentRules = [Rule(ContentMatch.Host, "a.example", "a")] });
        director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)a.Port), Group = "a" });
        using var slow = Connect(_vip, id.Port);
        slow.Send("GET / HTTP/1.1\r\n"u8.ToArray());
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (director.PendingPrefaces(id) == 0 && DateTime.UtcNow < deadline) Thread.Sleep(10); // accepted and reading
        Assert.Equal(1, director.PendingPrefaces(id));
        director.Dispose();
        Assert.Equal("<reset>", ReadToEnd(slow)); // at once, not after the 5-minute deadline (the receive timeout is 10 s)
    }

    [Fact]
    public void Keep_alive_requests_stay_on_the_real_server_the_first_request_chose()
    {
        int portA = FreePort(), portB = FreePort();
        Keep(Nginx.Start($$"""
            server { listen 127.0.0.1:{{portA}}; return 200 "a\n"; }
            server { listen 127.0.0.1:{{portB}}; return 200 "b\n"; }
            """, portA, portB));
        var id = Service([Rule(ContentMatch.Host, "a.example", "a"), Rule(ContentMatch.Host, "b.example", "b")], null, (portA, "a"), (portB, "b"));
        using var client = Connect(_vip, id.Port);
        client.Send(Encoding.ASCII.GetBytes(Get("a.example", close: false)));
        Assert.Equal("a\n", Body(ReadResponse(client)));
        // routing is per connection (as KTCPVS): the second request names b.example but the connection is a's
        client.Send(Encoding.ASCII.GetBytes(Get("b.example", close: false)));
        Assert.Equal("a\n", Body(ReadResponse(client)));
        using var fresh = Connect(_vip, id.Port);
        Assert.Equal("b\n", Body(Exchange(fresh, Get("b.example"))));
    }

    [Fact]
    public void Malformed_oversized_and_slow_requests_are_answered_and_closed()
    {
        var a = Keep(HttpBackend.Start("a"));
        var id = Service([Rule(ContentMatch.Host, "a.example", "a")], "a", (a.Port, "a"));
        Assert.StartsWith("HTTP/1.1 400 Bad Request", Ask(id, "GET / HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 400 Bad Request", Ask(id, "NOT HTTP AT ALL\r\n\r\n"));
        Assert.StartsWith("HTTP/1.1 431", Ask(id, Get("a.example", "/", "X-Big: " + new string('x', 4000) + "\r\n")));
        using (var slow = Connect(_vip, id.Port))
        {
            slow.Send("GET / HTTP/1.1\r\nHost: a.exa"u8.ToArray());
            Assert.StartsWith("HTTP/1.1 408 Request Timeout", ReadToEnd(slow)); // after the 2 s deadline
        }
        Assert.Equal(0, a.Requests);
        Assert.Equal("a", Body(Ask(id, Get("a.example")))[..1]); // and the service still works
    }

    [Fact]
    public void Sni_rules_route_tls_without_terminating_it_curl_to_nginx_end_to_end()
    {
        int portA = FreePort(), portB = FreePort();
        var dir = Directory.CreateTempSubdirectory("lvsps-tls-").FullName;
        try
        {
            Run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=lvsps-test",
                "-keyout", Path.Combine(dir, "key.pem"), "-out", Path.Combine(dir, "cert.pem"));
            string tls = $"ssl_certificate {dir}/cert.pem; ssl_certificate_key {dir}/key.pem;";
            Keep(Nginx.Start($$"""
                server { listen 127.0.0.1:{{portA}} ssl; {{tls}} return 200 "shop sni=$ssl_server_name\n"; }
                server { listen 127.0.0.1:{{portB}} ssl; {{tls}} return 200 "other sni=$ssl_server_name\n"; }
                """, portA, portB));
            var id = Service([Rule(ContentMatch.Sni, "*.shop.example", "shop")], null, (portA, "shop"), (portB, null));
            Assert.Equal("shop sni=www.shop.example\n", Curl("www.shop.example", id.Port));
            Assert.Equal("other sni=blog.example\n", Curl("blog.example", id.Port));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_client_hello_reaches_the_real_server_byte_for_byte()
    {
        var hello = ContentParserTests.CaptureClientHello("bytes.example");
        using var capture = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        capture.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        capture.Listen(1);
        var id = Service([Rule(ContentMatch.Sni, "bytes.example", "g")], null, (((IPEndPoint)capture.LocalEndPoint!).Port, "g"));
        using var client = Connect(_vip, id.Port);
        client.Send(hello);
        using var server = capture.Accept();
        server.ReceiveTimeout = 10_000;
        var got = new List<byte>();
        var buffer = new byte[4096];
        while (got.Count < hello.Length)
        {
            int n = server.Receive(buffer);
            if (n == 0) break;
            got.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        Assert.Equal(hello, got.ToArray());
    }

    private string Curl(string name, int port)
    {
        var output = Run("curl", "-sS", "-k", "--max-time", "20", "--resolve", $"{name}:{port}:{_vip}", $"https://{name}:{port}/");
        return output;
    }

    private static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000), $"{file} did not finish");
        Assert.True(p.ExitCode == 0, $"{file} failed ({p.ExitCode}): {stderr.Result}");
        return stdout.Result;
    }
}
