using System.Net;
using System.Net.Sockets;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Engine;

/// <summary>The managed director lists its persistence templates with its connections (Get-LvsConnection -IncludeTemplate).</summary>
public sealed class PersistenceTemplateListingTests : IDisposable
{
    private readonly ManagedDirector _director = new(new ManagedDirectorOptions { RunEstimator = false });
    private readonly HttpBackend _backend = HttpBackend.Start("a");
    private readonly string _vip = $"127.0.{Random.Shared.Next(100, 250)}.{Random.Shared.Next(2, 250)}";

    public void Dispose()
    {
        _director.Dispose();
        _backend.Dispose();
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    [Fact]
    public void A_persistent_service_lists_one_template_per_client_network_as_ipvsadm_Lc_does()
    {
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr", PersistenceTimeout = 300 });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)_backend.Port) });
        for (int i = 0; i < 3; i++) Assert.Equal("a", LoopbackClient.HttpGet(_vip, id.Port).Backend);

        var all = _director.GetConnections();
        var template = Assert.Single(all, c => c.Template);
        Assert.Equal(LvsProtocol.Tcp, template.Protocol);
        Assert.Equal(IPAddress.Loopback.ToString(), template.ClientAddress); // the client network (netmask /32)
        Assert.Equal(0, template.ClientPort); // a template has no client port
        Assert.Equal((IPAddress.Parse(_vip).ToString(), id.Port), (template.VirtualAddress, template.VirtualPort));
        Assert.Equal((IPAddress.Loopback.ToString(), (ushort)_backend.Port), (template.DestinationAddress, template.DestinationPort));
        Assert.Equal("NONE", template.State);
        Assert.InRange(template.ExpiresSeconds, 1u, 300u);
        Assert.Contains(all, c => !c.Template); // the connections themselves are listed as before
        Assert.Equal(1, _director.GetService(id)!.RealServers.Single().PersistentConnections);
    }

    [Fact]
    public void A_service_without_persistence_lists_no_template()
    {
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        _director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)_backend.Port) });
        LoopbackClient.HttpGet(_vip, id.Port);
        Assert.DoesNotContain(_director.GetConnections(), c => c.Template);
    }
}
