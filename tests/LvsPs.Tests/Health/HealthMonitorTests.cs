using System.Net;
using System.Net.Sockets;
using LvsPs.Engine;
using LvsPs.Health;
using LvsPs.Model;
using LvsPs.Model.Health;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Health;

/// <summary>Health checks against real servers that are killed and restarted, with real traffic through the managed director.</summary>
public sealed class HealthMonitorTests : IDisposable
{
    private readonly List<string> _log = new();
    private readonly HealthMonitor _monitor;
    private readonly List<IDisposable> _backends = new();
    private readonly string _vip = $"127.0.{Random.Shared.Next(100, 250)}.{Random.Shared.Next(2, 250)}";
    private readonly VirtualServiceId _id;

    public HealthMonitorTests()
    {
        _monitor = new HealthMonitor(new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false }), m => { lock (_log) _log.Add(m); });
        _id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _monitor.AddService(new VirtualServiceSettings { Id = _id, Scheduler = "rr" });
    }

    public void Dispose()
    {
        _monitor.Dispose();
        foreach (var b in _backends) b.Dispose();
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    private HttpBackend Backend(string name, int port = 0)
    {
        var b = HttpBackend.Start(name, "127.0.0.1", port);
        _backends.Add(b);
        return b;
    }

    private void AddRealServer(HttpBackend b, int weight = 1) =>
        _monitor.AddRealServer(_id, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)b.Port), Weight = weight });

    private RealServer Live(HttpBackend b) => _monitor.GetService(_id)!.RealServers.Single(r => r.Port == b.Port);

    private string[] Requests(int n) => Enumerable.Range(0, n).Select(_ => LoopbackClient.HttpGet(_vip, _id.Port).Backend).ToArray();

    private static HealthCheckSettings Check(HealthCheckType type = HealthCheckType.Tcp, HealthFailureAction action = HealthFailureAction.Quiesce) =>
        new() { Type = type, IntervalSeconds = 3600, TimeoutSeconds = 2, Retries = 2, Rise = 1, FailureAction = action };

    private HealthState State(HttpBackend b) => _monitor.GetHealth().Single(h => h.RealServer.EndsWith(":" + b.Port) && !h.SorryServer).State;

    [Fact]
    public async Task A_killed_real_server_is_quiesced_and_restored_at_its_weight_when_it_comes_back()
    {
        var a = Backend("a");
        var b = Backend("b");
        AddRealServer(a, weight: 3);
        AddRealServer(b, weight: 3);
        _monitor.SetHealthCheck(_id, Check(), null);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Up, State(a));

        int port = a.Port;
        a.Dispose(); // the real server dies
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Up, State(a)); // one failure of the two it takes
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Down, State(a));
        Assert.Equal(0, Live(a).Weight);
        Assert.All(Requests(4), r => Assert.Equal("b", r));
        // the configuration keeps the configured weight
        Assert.Equal(3, _monitor.CaptureDesired().Services.Single().RealServers.Single(r => r.Id.Port == port).Weight);

        var again = Backend("a", port); // it comes back on the same port
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Up, State(again));
        Assert.Equal(3, Live(again).Weight);
        Assert.Contains("a", Requests(4));
        lock (_log)
        {
            Assert.Contains(_log, l => l.Contains("Up -> Down"));
            Assert.Contains(_log, l => l.Contains("Down -> Up"));
        }
    }

    [Fact]
    public async Task Under_live_traffic_a_killed_server_is_taken_out_and_comes_back_when_restarted()
    {
        var a = Backend("a");
        var b = Backend("b");
        AddRealServer(a);
        AddRealServer(b);
        _monitor.SetHealthCheck(_id, Check() with { IntervalSeconds = 1, TimeoutSeconds = 1, Retries = 1 }, null);
        var answers = new System.Collections.Concurrent.ConcurrentQueue<(DateTime At, string? Backend)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(40)); // bounded whatever happens
        var traffic = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                string? backend;
                try
                {
                    backend = LoopbackClient.HttpGet(_vip, _id.Port, "/", 2000).Backend;
                }
                catch (Exception e) when (e is SocketException or InvalidOperationException or IOException)
                {
                    backend = null; // the dead server before the check noticed
                }
                answers.Enqueue((DateTime.UtcNow, backend));
                await Task.Delay(20);
            }
        });
        async Task Until(Func<bool> condition)
        {
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (!condition()) { Assert.True(DateTime.UtcNow < deadline, "timed out"); await Task.Delay(50); }
        }

        await Until(() => _monitor.GetHealth().All(h => h.State == HealthState.Up));
        int port = a.Port;
        a.Dispose();
        await Until(() => State(a) == HealthState.Down);
        var down = DateTime.UtcNow;
        await Task.Delay(1000);
        var restarting = DateTime.UtcNow;
        var again = Backend("a", port);
        await Until(() => State(again) == HealthState.Up);
        var up = DateTime.UtcNow;
        await Task.Delay(1000);
        stop.Cancel();
        await traffic;

        var whileDown = answers.Where(x => x.At > down.AddMilliseconds(100) && x.At < restarting).ToList();
        var afterUp = answers.Where(x => x.At > up.AddMilliseconds(100)).ToList();
        Assert.NotEmpty(whileDown);
        Assert.All(whileDown, x => Assert.Equal("b", x.Backend)); // quiesced: every request served by the live one
        Assert.All(afterUp, x => Assert.NotNull(x.Backend));
        Assert.Contains(afterUp, x => x.Backend == "a"); // back in rotation
    }

    [Fact]
    public async Task Remove_action_and_the_sorry_server_take_over_when_all_are_down()
    {
        var a = Backend("a");
        var b = Backend("b");
        var sorry = Backend("sorry");
        AddRealServer(a);
        AddRealServer(b);
        var sorrySettings = new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, (ushort)sorry.Port) };
        _monitor.SetHealthCheck(_id, Check(HealthCheckType.Http, HealthFailureAction.Remove) with { Retries = 1 }, sorrySettings);
        await _monitor.RunRoundAsync(_id);
        int portA = a.Port;
        a.Dispose();
        b.Dispose();
        await _monitor.RunRoundAsync(_id);
        var live = _monitor.GetService(_id)!;
        Assert.Equal(new[] { sorry.Port }, live.RealServers.Select(r => (int)r.Port));
        Assert.All(Requests(3), r => Assert.Equal("sorry", r));
        Assert.True(_monitor.GetHealth().Single(h => h.SorryServer).State == HealthState.Up);

        Backend("a", portA);
        await _monitor.RunRoundAsync(_id);
        live = _monitor.GetService(_id)!;
        Assert.Equal(new[] { portA }, live.RealServers.Select(r => (int)r.Port));
        Assert.All(Requests(3), r => Assert.Equal("a", r));
        // removed servers are still part of the configuration
        Assert.Equal(2, _monitor.CaptureDesired().Services.Single().RealServers.Count);
    }

    [Fact]
    public async Task Http_checks_look_at_status_and_body()
    {
        var a = Backend("alpha");
        AddRealServer(a);
        _monitor.SetHealthCheck(_id, Check(HealthCheckType.Http) with { BodyMatch = "^alpha", Retries = 1 }, null);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Up, State(a));
        Assert.Equal("HTTP 200, body matches", _monitor.GetHealth().Single().LastResult);
        _monitor.SetHealthCheck(_id, Check(HealthCheckType.Http) with { BodyMatch = "^beta", Retries = 1 }, null);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Down, State(a));
        _monitor.SetHealthCheck(_id, Check(HealthCheckType.Http) with { ExpectedStatus = new[] { 204 }, Retries = 1 }, null);
        await _monitor.RunRoundAsync(_id);
        Assert.Contains("HTTP 200, expected 204", _monitor.GetHealth().Single().LastResult);
    }

    [Fact]
    public async Task Command_checks_get_the_real_server_in_the_environment()
    {
        var a = Backend("a");
        AddRealServer(a);
        _monitor.SetHealthCheck(_id, Check(HealthCheckType.Command) with { Command = $"test \"$LVS_RS_PORT\" = {a.Port} && test \"$LVS_RS_ADDRESS\" = 127.0.0.1", Retries = 1 }, null);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Up, State(a));
        _monitor.SetHealthCheck(_id, Check(HealthCheckType.Command) with { Command = "echo broken >&2; exit 3", Retries = 1 }, null);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Down, State(a));
        Assert.Equal("exit code 3: broken", _monitor.GetHealth().Single().LastResult);
    }

    [Fact]
    public async Task Editing_a_quiesced_server_changes_its_configured_weight_only()
    {
        var a = Backend("a");
        AddRealServer(a);
        _monitor.SetHealthCheck(_id, Check() with { Retries = 1 }, null);
        int port = a.Port;
        a.Dispose();
        await _monitor.RunRoundAsync(_id);
        var rsId = RealServerId.Create(IPAddress.Loopback, (ushort)port);
        _monitor.EditRealServer(_id, new RealServerSettings { Id = rsId, Weight = 7 });
        Assert.Equal(0, _monitor.GetService(_id)!.RealServers.Single().Weight);
        Assert.Equal(7, _monitor.CaptureDesired().Services.Single().RealServers.Single().Weight);
        Backend("a", port);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(7, _monitor.GetService(_id)!.RealServers.Single().Weight);
    }

    [Fact]
    public void Removing_the_check_restores_everything()
    {
        var a = Backend("a");
        AddRealServer(a);
        Assert.Equal("SorryServerNeedsCheck", Assert.Throws<LvsException>(() =>
            _monitor.SetHealthCheck(_id, null, new RealServerSettings { Id = RealServerId.Create(IPAddress.Loopback, 9) })).ErrorId);
        Assert.Equal("InvalidHealthRetries", Assert.Throws<LvsException>(() => _monitor.SetHealthCheck(_id, Check() with { Retries = 0 }, null)).ErrorId);
        Assert.Equal("VirtualServiceNotFound", Assert.Throws<LvsException>(() => _monitor.SetHealthCheck(VirtualServiceId.Parse("tcp/127.0.0.1:1"), Check(), null)).ErrorId);
        _monitor.SetHealthCheck(_id, Check(), null);
        Assert.Single(_monitor.GetHealth());
        _monitor.SetHealthCheck(_id, null, null);
        Assert.Empty(_monitor.GetHealth());
        Assert.Null(_monitor.CaptureDesired().Services.Single().HealthCheck);
    }
}
