using System.Net;
using LvsPs.TestBackends;
using System.Net.Sockets;
using LvsPs.Engine;
using LvsPs.Health;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Tests.Model;

/// <summary>A configured service that cannot run yet is kept, listed with why, saved, changed, and runs once it can.</summary>
public sealed class WaitingServicesTests : IDisposable
{
    private readonly WaitingServices _director = new(new HealthMonitor(new ManagedDirector()), retryInterval: Timeout.InfiniteTimeSpan);
    private readonly TcpListener _squatter = new(IPAddress.Loopback, 0);
    private readonly string _vip = $"127.0.{Random.Shared.Next(100, 250)}.{Random.Shared.Next(2, 250)}";

    public WaitingServicesTests() => _squatter.Start();

    public void Dispose()
    {
        _squatter.Stop();
        _director.Dispose();
    }

    private int TakenPort => ((IPEndPoint)_squatter.LocalEndpoint).Port;

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private static RealServerId Rs(string text)
    {
        int colon = text.LastIndexOf(':');
        return RealServerId.Create(IPAddress.Parse(text[..colon]), ushort.Parse(text[(colon + 1)..]));
    }

    private static ServiceConfiguration Service(string id, params string[] realServers) => new(
        new VirtualServiceSettings { Id = VirtualServiceId.Parse(id), Scheduler = "wrr" },
        realServers.Select(r => new RealServerSettings { Id = Rs(r), Weight = 2 }).ToList());

    [Fact]
    public void A_service_whose_port_is_taken_is_kept_listed_with_why_and_saved()
    {
        var taken = $"tcp/127.0.0.1:{TakenPort}";
        var config = new DirectorConfiguration(new[]
        {
            Service($"tcp/{_vip}:{FreePort()}", "127.0.0.2:80"),
            Service(taken, "127.0.0.3:80", "127.0.0.4:80") with { HealthCheck = new HealthCheckSettings { Type = HealthCheckType.Tcp } },
            Service($"udp/{_vip}:{FreePort()}", "127.0.0.5:53"),
        }, new LvsTimeouts());

        var result = _director.Restore(config, (what, e) => throw new Xunit.Sdk.XunitException($"{what}: {e.Message}"));

        Assert.Equal(2, result.Running);
        Assert.Equal(VirtualServiceId.Parse(taken), Assert.Single(result.Waiting).Id);
        Assert.StartsWith("restored 2 of 3 virtual service(s); 1 waiting", result.ToString());
        var waiting = _director.GetService(VirtualServiceId.Parse(taken))!;
        Assert.Equal(ServiceState.Waiting, waiting.State);
        Assert.Contains("in use", waiting.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(new[] { "127.0.0.3:80", "127.0.0.4:80" }, waiting.RealServers.Select(r => r.Id.ToString()));
        Assert.Equal(3, _director.GetServices().Count);
        Assert.Contains("waiting:", IpvsadmText.Listing(waiting));
        // saved whole, in the configured order of each service's real servers, with its check
        var saved = _director.CaptureDesired();
        Assert.Equal(3, saved.Services.Count);
        var kept = saved.Services.Single(s => s.Settings.Id.ToString() == taken);
        Assert.Equal(config.Services[1], kept with { RealServers = kept.RealServers }, new ServiceComparer());
    }

    [Fact]
    public void A_waiting_service_is_changed_like_any_other_and_runs_when_it_can()
    {
        var id = VirtualServiceId.Parse($"tcp/127.0.0.1:{TakenPort}");
        _director.Restore(new DirectorConfiguration(new[] { Service(id.ToString(), "127.0.0.3:80") }, new LvsTimeouts()), (_, e) => throw e);
        _director.AddRealServer(id, new RealServerSettings { Id = Rs("127.0.0.6:80"), Weight = 7 });
        _director.EditRealServer(id, new RealServerSettings { Id = Rs("127.0.0.3:80"), Weight = 0 });
        Assert.Equal("RealServerExists", Assert.Throws<LvsException>(() => _director.AddRealServer(id, new RealServerSettings { Id = Rs("127.0.0.6:80") })).ErrorId);
        Assert.Equal("InvalidWeight", Assert.Throws<LvsException>(() => _director.AddRealServer(id, new RealServerSettings { Id = Rs("127.0.0.9:80"), Weight = -1 })).ErrorId);
        Assert.Equal("VirtualServiceExists", Assert.Throws<LvsException>(() => _director.AddService(new VirtualServiceSettings { Id = id })).ErrorId);
        _director.SetHealthCheck(id, new HealthCheckSettings { Type = HealthCheckType.Tcp, IntervalSeconds = 60 }, null);

        Assert.Equal(0, _director.RetryNow()); // still taken
        _squatter.Stop();
        Assert.Equal(1, _director.RetryNow());

        var running = _director.GetService(id)!;
        Assert.Equal(ServiceState.Running, running.State);
        Assert.Null(running.Reason);
        Assert.Equal(new[] { ("127.0.0.6:80", 7), ("127.0.0.3:80", 0) }, running.RealServers.Select(r => (r.Id.ToString(), r.Weight)));
        Assert.Equal(HealthCheckType.Tcp, _director.GetHealthCheck(id).Check!.Type);
        Assert.Single(_director.CaptureDesired().Services);
        using var client = new TcpClient();
        LoopbackClient.Connect(client.Client, new IPEndPoint(IPAddress.Loopback, id.Port)); // the director listens on it now
    }

    [Fact]
    public void A_service_added_at_the_prompt_on_a_taken_port_is_an_error_not_kept()
    {
        var e = Assert.Throws<LvsException>(() => _director.AddService(new VirtualServiceSettings { Id = VirtualServiceId.Parse($"tcp/127.0.0.1:{TakenPort}") }));
        Assert.Equal("VirtualAddressInUse", e.ErrorId);
        Assert.Empty(_director.GetServices());
        Assert.Empty(_director.CaptureDesired().Services);
    }

    [Fact]
    public void A_waiting_service_can_be_deleted()
    {
        var id = VirtualServiceId.Parse($"tcp/127.0.0.1:{TakenPort}");
        _director.Restore(new DirectorConfiguration(new[] { Service(id.ToString()) }, new LvsTimeouts()), (_, e) => throw e);
        _director.DeleteService(id);
        Assert.Empty(_director.GetServices());
        Assert.Empty(_director.CaptureDesired().Services);
    }

    private sealed class ServiceComparer : IEqualityComparer<ServiceConfiguration>
    {
        public bool Equals(ServiceConfiguration? x, ServiceConfiguration? y) =>
            x!.Settings == y!.Settings && x.RealServers.SequenceEqual(y.RealServers) && x.HealthCheck == y.HealthCheck && x.SorryServer == y.SorryServer;

        public int GetHashCode(ServiceConfiguration obj) => obj.Settings.GetHashCode();
    }
}
