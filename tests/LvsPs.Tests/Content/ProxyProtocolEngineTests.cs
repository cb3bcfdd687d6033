using System.Net;
using System.Net.Sockets;
using LvsPs.Engine;
using LvsPs.Model;
using static LvsPs.Tests.Content.ContentTestKit;

namespace LvsPs.Tests.Content;

/// <summary>
/// The PROXY protocol through the managed engine, both ways, against a real nginx whose server speaks it
/// (<c>listen ... proxy_protocol</c>) and answers with the <c>$proxy_protocol_addr</c> it read.
/// </summary>
public sealed class ProxyProtocolEngineTests : IDisposable
{
    private readonly ManagedDirector _director = new(new ManagedDirectorOptions { RunEstimator = false, PrefaceTimeout = TimeSpan.FromSeconds(2) });
    private readonly string _vip = NextVip();
    private readonly int _proxyPort = FreePort(), _plainPort = FreePort();
    private readonly Nginx _nginx;

    public ProxyProtocolEngineTests()
    {
        _nginx = Nginx.Start($$"""
            server { listen 127.0.0.1:{{_proxyPort}} proxy_protocol; return 200 "pp=$proxy_protocol_addr:$proxy_protocol_port peer=$remote_addr\n"; }
            server { listen 127.0.0.1:{{_plainPort}}; return 200 "plain peer=$remote_addr\n"; }
            """, _proxyPort, _plainPort);
    }

    public void Dispose()
    {
        _director.Dispose();
        _nginx.Dispose();
    }

    private VirtualServiceId Service(VirtualServiceSettings settings, params RealServerSettings[] servers)
    {
        _director.AddService(settings);
        foreach (var s in servers) _director.AddRealServer(settings.Id, s);
        return settings.Id;
    }

    private VirtualServiceId NewId() => VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");

    private static RealServerSettings Server(int port, ProxyProtocol? proxy = null) =>
        new() { Id = RealServerId.Create(IPAddress.Loopback, (ushort)port), SendProxy = proxy };

    [Theory]
    [InlineData(ProxyProtocol.V1)]
    [InlineData(ProxyProtocol.V2)]
    public void Nginx_behind_send_proxy_sees_the_clients_address_and_port(ProxyProtocol version)
    {
        var id = Service(new VirtualServiceSettings { Id = NewId(), Scheduler = "rr", SendProxy = version }, Server(_proxyPort));
        using var client = Connect(_vip, id.Port);
        var local = (IPEndPoint)client.LocalEndPoint!;
        var response = Exchange(client, Get("www.example.com"));
        Assert.Contains("200 OK", response);
        Assert.Equal($"pp=127.0.0.77:{local.Port} peer=127.0.0.1\n", Body(response));
        Assert.Equal(ClientAddressView.ProxyV1 + (int)version - 1, _director.GetService(id)!.RealServersSee);
    }

    [Fact]
    public void A_real_servers_own_setting_overrides_the_services()
    {
        var id = Service(new VirtualServiceSettings { Id = NewId(), Scheduler = "rr" }, Server(_proxyPort, ProxyProtocol.V2));
        using var client = Connect(_vip, id.Port);
        var local = (IPEndPoint)client.LocalEndPoint!;
        Assert.Equal($"pp=127.0.0.77:{local.Port} peer=127.0.0.1\n", Body(Exchange(client, Get("a"))));
        var listed = _director.GetService(id)!;
        Assert.Equal(ClientAddressView.Director, listed.RealServersSee);
        Assert.Equal(ClientAddressView.ProxyV2, Assert.Single(listed.RealServers).Sees);
    }

    [Fact]
    public void Without_send_proxy_nginx_sees_the_director()
    {
        var id = Service(new VirtualServiceSettings { Id = NewId(), Scheduler = "rr" }, Server(_plainPort));
        using var client = Connect(_vip, id.Port);
        Assert.Equal("plain peer=127.0.0.1\n", Body(Exchange(client, Get("a"))));
    }

    [Theory]
    [InlineData("PROXY TCP4 203.0.113.9 {0} 5555 {1}\r\n")]
    [InlineData("v2")]
    public void Accept_proxy_takes_the_client_from_the_front_and_passes_it_on(string header)
    {
        var id = Service(new VirtualServiceSettings { Id = NewId(), Scheduler = "rr", AcceptProxy = true, SendProxy = ProxyProtocol.V1 }, Server(_proxyPort));
        using var client = Connect(_vip, id.Port);
        var front = header == "v2"
            ? V2(new IPEndPoint(IPAddress.Parse("203.0.113.9"), 5555), new IPEndPoint(IPAddress.Parse(_vip), id.Port))
            : System.Text.Encoding.ASCII.GetBytes(string.Format(header, _vip, id.Port));
        client.Send(front);
        var response = Exchange(client, Get("a"));
        Assert.Equal("pp=203.0.113.9:5555 peer=127.0.0.1\n", Body(response));
        Assert.Contains(_director.GetConnections(), c => c.ClientAddress == "203.0.113.9" && c.ClientPort == 5555);
    }

    private static byte[] V2(IPEndPoint source, IPEndPoint destination)
    {
        var bytes = new byte[64];
        int n = LvsPs.Engine.Preface.ProxyHeader.Write(ProxyProtocol.V2, source, destination, bytes);
        return bytes[..n];
    }

    [Fact]
    public void Accept_proxy_refuses_a_connection_without_the_header_and_nginx_never_sees_it()
    {
        var id = Service(new VirtualServiceSettings { Id = NewId(), Scheduler = "rr", AcceptProxy = true }, Server(_plainPort));
        using (var client = Connect(_vip, id.Port))
        {
            var response = Exchange(client, Get("a"));
            Assert.DoesNotContain("HTTP/1.1", response);
        }
        using (var silent = Connect(_vip, id.Port))
        {
            // a client that sends nothing is closed after the preface deadline (2 s here), not held forever
            Assert.DoesNotContain("HTTP/1.1", ReadToEnd(silent));
        }
        Assert.Empty(_nginx.LogLines());
        Assert.Equal(0UL, _director.GetService(id)!.Stats.Connections);
    }
}
