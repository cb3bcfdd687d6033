using System.Net;
using System.Net.Sockets;
using LvsPs.Engine;
using LvsPs.Health;
using LvsPs.Model;
using LvsPs.Model.Health;
using LvsPs.TestBackends;
using Microsoft.Extensions.Time.Testing;

namespace LvsPs.Tests.Health;

/// <summary>
/// Health checks against real servers that are killed and restarted, with real traffic through the managed director.
/// The monitor runs on a manual clock: its timers fire only when a test advances the clock, and the tests step rounds
/// with RunRoundAsync, so no round races a test's own steps.
/// </summary>
public sealed class HealthMonitorTests : IDisposable
{
    private readonly List<string> _log = new();
    private readonly FakeTimeProvider _clock = new();
    private readonly HealthMonitor _monitor;
    private readonly List<IDisposable> _backends = new();
    private readonly string _vip = TestAddresses.NewVip();
    private readonly VirtualServiceId _id;

    public HealthMonitorTests()
    {
        _monitor = new HealthMonitor(new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false }), m => { lock (_log) _log.Add(m); }, time: _clock);
        _id = VirtualServiceId.Parse($"tcp/{_vip}:{FreePort()}");
        _monitor.AddService(new VirtualServiceSettings { Id = _id, Scheduler = "rr" });
    }

    public void Dispose()
    {
        _monitor.Dispose();
        foreach (var b in _backends) b.Dispose();
    }

    private static int FreePort() => TestAddresses.NewPort();

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
        Assert.Equal((3, 0), (Live(a).Weight, Live(a).EffectiveWeight)); // configured 3, in the table at 0
        Assert.All(Requests(4), r => Assert.Equal("b", r));
        // the configuration keeps the configured weight
        Assert.Equal(3, _monitor.CaptureDesired().Services.Single().RealServers.Single(r => r.Id.Port == port).Weight);

        var again = Backend("a", port); // it comes back on the same port
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Up, State(again));
        Assert.Equal((3, 3), (Live(again).Weight, Live(again).EffectiveWeight));
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
        // the clock drives the rounds: each advance by the interval fires the timer's round, which the next
        // RunRoundAsync waits for
        async Task Tick()
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await _monitor.RunRoundAsync(_id);
        }
        await Tick();
        Assert.All(_monitor.GetHealth(), h => Assert.Equal(HealthState.Up, h.State));
        Assert.Contains("a", Requests(4));

        int port = a.Port;
        a.Dispose();
        await Tick();
        Assert.Equal(HealthState.Down, State(a));
        Assert.Equal(_clock.GetLocalNow(), _monitor.GetHealth().Single(h => h.RealServer.EndsWith(":" + port)).Since);
        Assert.All(Requests(6), r => Assert.Equal("b", r)); // quiesced: every request served by the live one

        var again = Backend("a", port);
        await Tick();
        Assert.Equal(HealthState.Up, State(again));
        var after = Requests(6);
        Assert.Contains("a", after); // back in rotation
        Assert.Contains("b", after);
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
        await BothDie(a, b, sorry);
        Assert.All(Requests(3), r => Assert.Equal("sorry", r));
        Assert.True(_monitor.GetHealth().Single(h => h.SorryServer).State == HealthState.Up);

        Backend("a", portA);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(new[] { portA }, LivePorts());
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
        Assert.Equal(0, _monitor.Inner.GetService(_id)!.RealServers.Single().Weight);
        Assert.Equal((7, 0), (_monitor.GetService(_id)!.RealServers.Single().Weight, _monitor.GetService(_id)!.RealServers.Single().EffectiveWeight));
        Assert.Equal(7, _monitor.CaptureDesired().Services.Single().RealServers.Single().Weight);
        Backend("a", port);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(7, _monitor.Inner.GetService(_id)!.RealServers.Single().Weight);
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

    private RealServerSettings Settings(int port, int weight = 1) => new() { Id = RealServerId.Create(IPAddress.Loopback, (ushort)port), Weight = weight };

    /// <summary>Real servers a (weight 2) and b (weight 3) under a check that removes a failed one (after one failure), with a sorry server.</summary>
    private (HttpBackend A, HttpBackend B, HttpBackend Sorry) TwoServersBehindASorryServer()
    {
        var a = Backend("a");
        var b = Backend("b");
        var sorry = Backend("sorry");
        AddRealServer(a, weight: 2);
        AddRealServer(b, weight: 3);
        _monitor.SetHealthCheck(_id, Check(action: HealthFailureAction.Remove) with { Retries = 1 }, Settings(sorry.Port));
        return (a, b, sorry);
    }

    /// <summary>Both real servers die; a round finds them down and the table holds only the sorry server.</summary>
    private async Task BothDie(HttpBackend a, HttpBackend b, HttpBackend sorry)
    {
        a.Dispose();
        b.Dispose();
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(new[] { sorry.Port }, LivePorts());
    }

    private int[] LivePorts() => _monitor.Inner.GetService(_id)!.RealServers.Select(r => (int)r.Port).Order().ToArray();

    [Fact]
    public async Task Changing_the_failure_action_while_a_server_is_out_brings_it_back_and_keeps_it_configured()
    {
        var a = Backend("a");
        var b = Backend("b");
        AddRealServer(a, weight: 4);
        AddRealServer(b);
        int port = a.Port;
        _monitor.SetHealthCheck(_id, Check(action: HealthFailureAction.Remove) with { Retries = 1 }, null);
        a.Dispose();
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(new[] { b.Port }, LivePorts()); // removed

        // the action changes while it is out: it is now quiesced (in the table at weight 0), not lost
        _monitor.SetHealthCheck(_id, Check(action: HealthFailureAction.Quiesce) with { Retries = 1 }, null);
        Assert.Equal(0, _monitor.Inner.GetService(_id)!.RealServers.Single(r => r.Port == port).Weight);
        var again = Backend("a", port);
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Up, State(again));
        Assert.Equal(4, _monitor.Inner.GetService(_id)!.RealServers.Single(r => r.Port == port).Weight);
        Assert.Contains("a", Requests(4));

        // and back to Remove while down, then the check goes: the server is restored, never dropped
        again.Dispose();
        await _monitor.RunRoundAsync(_id);
        _monitor.SetHealthCheck(_id, Check(action: HealthFailureAction.Remove) with { Retries = 1 }, null);
        Assert.Equal(new[] { b.Port }, LivePorts());
        _monitor.SetHealthCheck(_id, null, null);
        Assert.Equal(new[] { port, b.Port }.Order().ToArray(), LivePorts());
        Assert.Equal(4, _monitor.Inner.GetService(_id)!.RealServers.Single(r => r.Port == port).Weight);
        Assert.Contains(_monitor.CaptureDesired().Services.Single().RealServers, r => r.Id.Port == port && r.Weight == 4);
    }

    [Fact]
    public async Task Removing_the_check_while_every_server_is_down_restores_them_and_drops_the_sorry_server()
    {
        var (a, b, sorry) = TwoServersBehindASorryServer();
        int portA = a.Port, portB = b.Port;
        await BothDie(a, b, sorry);

        _monitor.SetHealthCheck(_id, null, null);
        var live = _monitor.Inner.GetService(_id)!.RealServers;
        Assert.Equal(new[] { portA, portB }.Order().ToArray(), live.Select(r => (int)r.Port).Order().ToArray());
        Assert.Equal(2, live.Single(r => r.Port == portA).Weight);
        Assert.Equal(3, live.Single(r => r.Port == portB).Weight);
        Assert.Empty(_monitor.GetHealth());
        var configured = _monitor.CaptureDesired().Services.Single();
        Assert.Null(configured.SorryServer);
        Assert.Equal(2, configured.RealServers.Count);
    }

    [Fact]
    public async Task A_down_server_needs_rise_good_checks_in_a_row_before_it_is_back()
    {
        var a = Backend("a");
        var b = Backend("b");
        AddRealServer(a, weight: 5);
        AddRealServer(b);
        int port = a.Port;
        _monitor.SetHealthCheck(_id, Check() with { Retries = 1, Rise = 3 }, null);
        a.Dispose();
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Down, State(a));
        var again = Backend("a", port);
        for (int good = 1; good < 3; good++)
        {
            await _monitor.RunRoundAsync(_id);
            Assert.Equal(HealthState.Down, State(again));
            Assert.Equal(good, _monitor.GetHealth().Single(h => h.RealServer.EndsWith(":" + port)).ConsecutiveSuccesses);
            Assert.Equal(0, _monitor.Inner.GetService(_id)!.RealServers.Single(r => r.Port == port).Weight);
        }
        // a failure in between starts the count again
        again.Dispose();
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(0, _monitor.GetHealth().Single(h => h.RealServer.EndsWith(":" + port)).ConsecutiveSuccesses);
        again = Backend("a", port);
        for (int good = 1; good <= 3; good++) await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Up, State(again));
        Assert.Equal(5, _monitor.Inner.GetService(_id)!.RealServers.Single(r => r.Port == port).Weight);
    }

    [Fact]
    public async Task Https_checks_speak_tls_to_a_server_with_a_self_signed_certificate()
    {
        var tls = HttpsBackend.Start("secure");
        _backends.Add(tls);
        var plain = Backend("plain"); // answers HTTP, not TLS: an Https check of it must fail
        _monitor.AddRealServer(_id, Settings(tls.Port));
        _monitor.AddRealServer(_id, Settings(plain.Port));
        _monitor.SetHealthCheck(_id, Check(HealthCheckType.Https) with { BodyMatch = "^secure", Retries = 1, Path = "/healthz" }, null);
        await _monitor.RunRoundAsync(_id);
        var health = _monitor.GetHealth();
        var secure = health.Single(h => h.RealServer.EndsWith(":" + tls.Port));
        Assert.Equal(HealthState.Up, secure.State);
        Assert.Equal("HTTP 200, body matches", secure.LastResult);
        Assert.True(tls.Handshakes >= 1);
        Assert.Equal(HealthState.Down, health.Single(h => h.RealServer.EndsWith(":" + plain.Port)).State);

        tls.Dispose();
        await _monitor.RunRoundAsync(_id);
        Assert.Equal(HealthState.Down, _monitor.GetHealth().Single(h => h.RealServer.EndsWith(":" + tls.Port)).State);
    }

    [Fact]
    public async Task Listings_show_the_configured_real_servers_with_their_effective_weight_and_never_the_sorry_server()
    {
        var (a, b, sorry) = TwoServersBehindASorryServer();
        int portA = a.Port, portB = b.Port;
        await _monitor.RunRoundAsync(_id);
        await BothDie(a, b, sorry); // the table: only the sorry server

        // the listing: both configured servers, at their configured settings, out of the table; no sorry server
        var listed = _monitor.GetService(_id)!.RealServers;
        Assert.Equal(new[] { portA, portB }.Order().ToArray(), listed.Select(r => (int)r.Port).Order().ToArray());
        Assert.Equal(2, listed.Single(r => r.Port == portA).Weight);
        Assert.All(listed, r => Assert.Equal(0, r.EffectiveWeight));
        Assert.All(listed, r => Assert.Equal(HealthState.Down, r.HealthState));
        Assert.Equal(listed.Select(r => r.Id), _monitor.GetServices().Single().RealServers.Select(r => r.Id));

        // the real-server calls work on a configured server the check took out: an edit changes what it comes back with
        _monitor.EditRealServer(_id, Settings(portA, 6));
        Assert.Equal(6, _monitor.GetService(_id)!.RealServers.Single(r => r.Port == portA).Weight);
        Assert.Equal(new[] { sorry.Port }, LivePorts());
        // the sorry server is not a real server of the service: adding it as one is refused
        Assert.Equal("SorryServerIsRealServer", Assert.Throws<LvsException>(() => _monitor.AddRealServer(_id, Settings(sorry.Port))).ErrorId);
        _monitor.DeleteRealServer(_id, Settings(portB).Id);
        Assert.DoesNotContain(_monitor.GetService(_id)!.RealServers, r => r.Port == portB);
        Assert.DoesNotContain(_monitor.CaptureDesired().Services.Single().RealServers, r => r.Id.Port == portB);

        // ipvsadm rules and the document both write the configured state
        var rules = IpvsadmRules.Format(_monitor.GetServices());
        Assert.Contains($"-r 127.0.0.1:{portA} -m -w 6", rules);
        Assert.DoesNotContain($":{sorry.Port}", rules);
        Assert.Equal(rules, IpvsadmRules.Format(_monitor.CaptureDesired()));
        // Export | Compare on the unchanged director: no drift from either format
        var fromRules = LvsPs.Configuration.DirectorDocument.Load(rules, "export.rules", LvsPs.Configuration.DocumentFormat.Ipvsadm).GetOrThrow();
        var plan = LvsPs.Configuration.ReconcilePlanner.Plan(fromRules, _monitor, prune: false);
        Assert.True(plan.InDesiredState, string.Join("; ", plan.Differences.Select(d => d.Description)));
        var document = LvsPs.Configuration.DirectorDocument.Write(_monitor.CaptureDesired(), _monitor.GetSyncDaemons());
        var fromDocument = LvsPs.Configuration.DirectorDocument.Read(document, "export.yaml").GetOrThrow();
        plan = LvsPs.Configuration.ReconcilePlanner.Plan(fromDocument, _monitor, prune: true);
        Assert.True(plan.InDesiredState, string.Join("; ", plan.Differences.Select(d => d.Description)));

        Backend("a", portA);
        await _monitor.RunRoundAsync(_id);
        var back = _monitor.GetService(_id)!.RealServers.Single();
        Assert.Equal((6, 6, HealthState.Up), (back.Weight, back.EffectiveWeight, back.HealthState!.Value));
        Assert.Equal(new[] { portA }, LivePorts());
    }
}
