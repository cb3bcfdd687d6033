using System.Net;
using System.Net.Sockets;
using LvsPs.Directors;
using LvsPs.DirectorService;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.Remote;
using LvsPs.Scheduling.Preview;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Service;

/// <summary>
/// The capabilities a command asks for by interface (ISchedulingPreview, IFtpHelperCheck) reach through a director
/// service: the client asks over the control socket and the service answers from the director it hosts, built as the
/// service builds it (<see cref="DirectorFactory.Hosted"/>: the managed engine with its health monitor).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CapabilitiesThroughServiceTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "lvsps-caps-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly IDirectorBackend _hosted;
    private readonly ControlServer _server;
    private readonly RemoteDirector _client;

    public CapabilitiesThroughServiceTests()
    {
        Directory.CreateDirectory(_folder);
        _hosted = DirectorFactory.Hosted("managed", new ManagedDirectorOptions { RunEstimator = false }, _ => { }, out var engine);
        Assert.NotNull(engine);
        var socket = Path.Combine(_folder, "director.sock");
        _server = new ControlServer(socket, new ControlDispatcher(_hosted), _ => { });
        _server.Start();
        _client = DirectorFactory.Service(socket);
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
        _hosted.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void Test_LvsScheduling_through_a_service_previews_on_the_services_live_state()
    {
        using var first = TcpEchoBackend.Start("127.0.0.1");
        using var second = TcpEchoBackend.Start("127.0.0.1");
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, IPAddress.Parse(TestAddresses.NewVip()), (ushort)TestAddresses.NewPort());
        _client.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        // added first then second: the kernel lists (and rr walks) the second first
        _client.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)first.Port) });
        _client.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)second.Port) });
        var request = new SchedulingPreviewRequest { Settings = _client.GetService(id)!.Settings, ClientAddresses = new[] { "10.9.9.9" } };

        Assert.Equal($"127.0.0.1:{second.Port}", Assert.Single(_client.PreviewScheduling(request)!.Decisions).RealServer);

        // one real connection: rr's cursor in the service moves on to the first real server
        using (var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
        {
            LoopbackClient.Connect(s, new IPEndPoint(id.Address!, id.Port));
            for (int i = 0; i < 200 && second.Connections == 0; i++) Thread.Sleep(25);
            Assert.Equal(1, second.Connections);
        }

        // the service's live state says the first; the listing alone (all a client could simulate on) still says the second
        var live = _client.PreviewScheduling(request)!;
        Assert.Equal($"127.0.0.1:{first.Port}", Assert.Single(live.Decisions).RealServer);
        var listed = _client.GetService(id)!;
        var fromListing = SchedulingSimulation.Run(request, () => SchedulingSimulation.FromListing(listed.Settings, listed.RealServers, null));
        Assert.Equal($"127.0.0.1:{second.Port}", Assert.Single(fromListing.Decisions).RealServer);
        // previewing changed nothing: asked again, the same answer
        Assert.Equal($"127.0.0.1:{first.Port}", Assert.Single(_client.PreviewScheduling(request)!.Decisions).RealServer);
    }

    [Fact]
    public void A_run_of_requests_through_a_service_is_shared_on_the_live_state()
    {
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, IPAddress.Parse(TestAddresses.NewVip()), (ushort)TestAddresses.NewPort());
        _client.AddService(new VirtualServiceSettings { Id = id, Scheduler = "wrr" });
        _client.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("127.0.0.1"), 9001), Weight = 3 });
        _client.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("127.0.0.2"), 9001), Weight = 1 });
        var shares = _client.PreviewScheduling(new SchedulingPreviewRequest { Settings = _client.GetService(id)!.Settings, Count = 400 })!.Shares;
        Assert.Equal(300, shares.Single(s => s.RealServer == "127.0.0.1:9001").Requests);
        Assert.Equal(100, shares.Single(s => s.RealServer == "127.0.0.2:9001").Requests);
        Assert.Equal(0, _client.GetService(id)!.RealServers.Sum(r => r.ActiveConnections));
    }

    [Fact]
    public void A_service_without_live_state_for_the_service_answers_null_and_bad_requests_are_refused_by_the_model()
    {
        var missing = VirtualServiceId.Parse("tcp/127.3.0.2:80");
        Assert.Null(_client.PreviewScheduling(new SchedulingPreviewRequest { Settings = new VirtualServiceSettings { Id = missing }, ClientAddresses = new[] { "10.0.0.1" } }));
        var e = Assert.Throws<LvsException>(() => _client.PreviewScheduling(new SchedulingPreviewRequest { Settings = new VirtualServiceSettings { Id = missing }, ClientAddresses = new[] { "not-an-address" } }));
        Assert.Equal("InvalidClientAddress", e.ErrorId);
        var tooMany = new ControlDispatcher(_hosted).Dispatch(new ControlRequest(ControlOps.PreviewScheduling, System.Text.Json.JsonSerializer.SerializeToElement(
            new SchedulingPreviewRequest { Settings = new VirtualServiceSettings { Id = missing }, Count = SchedulingPreviewRequest.MaxCount + 1 }, ProtocolJson.Options)));
        Assert.Equal("InvalidPreviewCount", tooMany.Error?.ErrorId);
    }

    [Fact]
    public void The_managed_engine_needs_nothing_for_ftp_through_a_service()
    {
        var id = VirtualServiceId.ForAddress(LvsProtocol.Tcp, IPAddress.Parse(TestAddresses.NewVip()), 21);
        // the managed engine has its own FTP helper: no kernel module to miss, so nothing is reported
        Assert.Empty(_client.CheckFtpHelper(id));
    }
}
