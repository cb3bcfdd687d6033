using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Remote;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Service;

/// <summary>The director service as a real process: control over its socket, persistence across kill -9, owner-only access.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DirectorServiceTests : IDisposable
{
    private static readonly int s_metricsPort = TestAddresses.NewPort();
    private readonly DirectorServiceProcess _service = DirectorServiceProcess.StartNew(metrics: "127.0.0.1:" + s_metricsPort);
    private readonly string _vip = TestAddresses.NewVip();

    public void Dispose() => _service.Dispose();

    private static int FreePort() => TestAddresses.NewPort();

    [Fact]
    public void Forwards_real_traffic_configured_over_the_socket()
    {
        using var web = HttpBackend.Start("svc-web");
        using var director = new RemoteDirector(_service.SocketPath);
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)web.Port), Weight = 3 });

        Assert.Equal("svc-web", LoopbackClient.HttpGet(_vip, id.Port).Backend);
        var service = director.GetService(id)!;
        Assert.Equal("rr", service.Scheduler);
        Assert.Equal(3, service.RealServers.Single().Weight);
        Assert.Equal(1ul, service.Stats.Connections);
        Assert.Equal(DirectorKind.Service, director.GetInfo().Kind);
        Assert.Single(director.GetConnections());
    }

    [Fact]
    public async Task Health_checks_run_in_the_service_and_survive_a_restart()
    {
        var web = HttpBackend.Start("svc-health");
        using var alive = HttpBackend.Start("svc-health-alive");
        string dead = $"127.0.0.1:{web.Port}";
        using var director = new RemoteDirector(_service.SocketPath);
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)web.Port), Weight = 2 });
        director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)alive.Port), Weight = 1 });
        var check = new LvsPs.Model.Health.HealthCheckSettings { Type = LvsPs.Model.Health.HealthCheckType.Tcp, IntervalSeconds = 1, TimeoutSeconds = 1, Retries = 1 };
        director.SetHealthCheck(id, check, null);
        await WaitForAsync(() => director.GetHealth().All(h => h.State == LvsPs.Model.Health.HealthState.Up));

        web.Dispose(); // the real server dies: the service quiesces it
        await WaitForAsync(() => director.GetService(id)!.RealServers.Single(r => r.Id == dead).EffectiveWeight == 0);
        Assert.Equal(LvsPs.Model.Health.HealthState.Down, director.GetHealth().Single(h => h.RealServer == dead).State);

        _service.Kill();
        _service.Start();
        using var again = new RemoteDirector(_service.SocketPath);
        Assert.Equal(check, again.GetHealthCheck(id).Check);
        Assert.Equal(2, again.CaptureDesired().Services.Single().RealServers.Single(r => r.Id.Port == web.Port).Weight); // the configured weight was saved, not 0
        // the restarted service checks again: the dead server goes Down, out of the table, its configured weight kept
        await WaitForAsync(() => again.GetHealth().Any(h => h.RealServer == dead && h.State == LvsPs.Model.Health.HealthState.Down));
        await WaitForAsync(() => again.GetService(id)!.RealServers.Single(r => r.Id == dead).EffectiveWeight == 0);
        Assert.Equal(2, again.GetService(id)!.RealServers.Single(r => r.Id == dead).Weight);
        // and it forwards: every request reaches the live real server
        Assert.All(Enumerable.Range(0, 3), _ => Assert.Equal("svc-health-alive", LoopbackClient.HttpGet(_vip, id.Port).Backend));
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_format()
    {
        using var web = HttpBackend.Start("svc-metrics");
        using var director = new RemoteDirector(_service.SocketPath);
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)web.Port) });
        LoopbackClient.HttpGet(_vip, id.Port);
        LoopbackClient.HttpGet(_vip, id.Port);

        using var http = new HttpClient();
        var response = await http.GetAsync($"http://127.0.0.1:{s_metricsPort}/metrics");
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE lvsps_virtual_service_connections_total counter", text);
        Assert.Contains($"lvsps_virtual_service_connections_total{{virtual_service=\"{id}\"}} 2\n", text);
        Assert.Contains($"lvsps_real_server_connections_total{{virtual_service=\"{id}\",real_server=\"127.0.0.1:{web.Port}\"}} 2\n", text);
        Assert.Contains("# TYPE lvsps_real_server_active_connections gauge", text);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{s_metricsPort}/nope")).StatusCode);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 15 s");
            await Task.Delay(100);
        }
    }

    [Fact]
    public void Errors_cross_the_socket_with_their_ids()
    {
        using var director = new RemoteDirector(_service.SocketPath);
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        director.AddService(new VirtualServiceSettings { Id = id });
        var e = Assert.Throws<LvsException>(() => director.AddService(new VirtualServiceSettings { Id = id }));
        Assert.Equal("VirtualServiceExists", e.ErrorId);
        Assert.Equal(LvsErrorKind.AlreadyExists, e.Kind);
        Assert.Equal("VirtualServiceNotFound", Assert.Throws<LvsException>(() => director.DeleteService(VirtualServiceId.Parse("tcp/127.0.0.1:1"))).ErrorId);
        Assert.Null(director.GetService(VirtualServiceId.Parse("udp/127.0.0.1:1")));
    }

    [Fact]
    public void A_killed_service_comes_back_with_every_change_it_acknowledged()
    {
        var id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        using (var director = new RemoteDirector(_service.SocketPath))
        {
            director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "wrr", PersistenceTimeout = 60 });
            director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("127.0.0.1"), 8081), Weight = 5 });
            director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("127.0.0.2"), 8081), Weight = 0 });
            director.SetTimeouts(new LvsTimeouts(0, 45, 0));
        }
        _service.Kill(); // kill -9 right after the last acknowledged change
        _service.Start();

        using var again = new RemoteDirector(_service.SocketPath);
        var service = again.GetService(id)!;
        Assert.Equal("wrr", service.Scheduler);
        Assert.Equal(60u, service.PersistenceTimeout);
        Assert.Equal(new[] { "127.0.0.2:8081", "127.0.0.1:8081" }, service.RealServers.Select(r => r.Id.ToString()));
        Assert.Equal(new[] { 0, 5 }, service.RealServers.Select(r => r.Weight));
        Assert.Equal(45u, again.GetTimeouts().TcpFin);
    }

    [Fact]
    public void Sigterm_stops_cleanly_and_removes_the_socket()
    {
        Assert.Equal(0, _service.Terminate());
        Assert.False(File.Exists(_service.SocketPath));
        var e = Assert.Throws<LvsException>(() => new RemoteDirector(_service.SocketPath));
        Assert.Equal("DirectorServiceNotRunning", e.ErrorId);
    }

    [Fact]
    public void The_socket_is_owner_only()
    {
        var mode = File.GetUnixFileMode(_service.SocketPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(_service.SocketPath)!));
    }

    [RootFact]
    public void Another_user_is_refused_even_when_the_file_modes_would_let_it_in()
    {
        // open the folder and socket to everyone, so only the service's own peer-credential check stands in the way
        File.SetUnixFileMode(Path.GetDirectoryName(_service.SocketPath)!, (UnixFileMode)0x1FF);
        File.SetUnixFileMode(Path.GetDirectoryName(Path.GetDirectoryName(_service.SocketPath))!, (UnixFileMode)0x1FF);
        File.SetUnixFileMode(_service.SocketPath, (UnixFileMode)0x1FF);
        var script = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\ns.sendall(b'{\"op\":\"GetServices\"}\\n')\nprint(s.makefile().readline())";
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", script, _service.SocketPath }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit(10000);
        Assert.Contains("DirectorServiceAccessDenied", output);
        Assert.DoesNotContain("\"result\"", output);
    }
}

/// <summary>The service keeps a configured service it cannot run at start, saves it, and runs it when it can.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DirectorServiceWaitingTests
{
    [Fact]
    public async Task A_service_whose_port_is_taken_at_start_is_kept_saved_and_run_later()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lvsps-wait-" + Guid.NewGuid().ToString("N")[..8]);
        using var service = new DirectorServiceProcess(folder);
        var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = VirtualServiceId.Parse($"tcp/127.0.0.1:{((IPEndPoint)squatter.LocalEndpoint).Port}");
        try
        {
            var free = VirtualServiceId.Parse($"tcp/127.0.0.1:{FreePort()}");
            Directory.CreateDirectory(Path.GetDirectoryName(service.StatePath)!);
            var config = new DirectorConfiguration(new[]
            {
                new ServiceConfiguration(new VirtualServiceSettings { Id = free }, Array.Empty<RealServerSettings>()),
                new ServiceConfiguration(new VirtualServiceSettings { Id = taken, Scheduler = "wlc" },
                    new[] { new RealServerSettings { Id = RealServerId.Create(IPAddress.Parse("127.0.0.2"), 80), Weight = 5 } }),
            }, new LvsTimeouts());
            File.WriteAllText(service.StatePath, System.Text.Json.JsonSerializer.Serialize(config, ProtocolJson.Options));
            service.Start();
            using var director = new RemoteDirector(service.SocketPath);
            director.GetInfo(); // answered once the restore is done; its log line is read asynchronously (bounded wait)
            for (int i = 0; i < 100 && !service.Output.Contains("restored", StringComparison.Ordinal); i++) await Task.Delay(100);
            Assert.Contains("restored 1 of 2 virtual service(s); 1 waiting", service.Output);

            var waiting = director.GetService(taken)!;
            Assert.Equal(ServiceState.Waiting, waiting.State);
            Assert.NotNull(waiting.Reason);
            // a change makes the service save: the waiting service is still in the file
            director.DeleteService(free);
            var saved = System.Text.Json.JsonSerializer.Deserialize<DirectorConfiguration>(File.ReadAllText(service.StatePath), ProtocolJson.Options)!;
            Assert.Equal(taken, Assert.Single(saved.Services).Settings.Id);
            Assert.Equal(5, saved.Services[0].RealServers.Single().Weight);

            squatter.Stop(); // the port is free: the service's retry runs it (bounded wait)
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (director.GetService(taken)!.State != ServiceState.Running)
            {
                Assert.True(DateTime.UtcNow < deadline, "the waiting service did not start running within 60 s");
                await Task.Delay(200);
            }
            Assert.Equal("wlc", director.GetService(taken)!.Scheduler);
        }
        finally
        {
            squatter.Stop();
        }
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
