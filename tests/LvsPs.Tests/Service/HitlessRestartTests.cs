using System.Diagnostics;
using LvsPs.Model;
using LvsPs.Remote;
using LvsPs.TestBackends;

namespace LvsPs.Tests.Service;

/// <summary>
/// Restarts of the director service under steady client load on loopback: the new process adopts the listening
/// sockets (SCM_RIGHTS), the old one finishes its connections, and no request fails. LVSPS_RESTARTS=100 for the long
/// run recorded in docs/director-service.md.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HitlessRestartTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public HitlessRestartTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public void Restarts_in_a_row_under_steady_load_fail_no_request()
    {
        int restarts = int.TryParse(Environment.GetEnvironmentVariable("LVSPS_RESTARTS"), out var n) ? n : 10;
        using var service = DirectorServiceProcess.StartNew();
        using var web = HttpBackend.Start("hitless");
        var vip = TestAddresses.NewVip();
        var id = VirtualServiceId.Parse($"tcp/{vip}:{TestAddresses.NewPort()}");
        var pids = new List<int> { service.Pid };
        long ok = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var clients = new List<Thread>();
        try
        {
            using (var director = new RemoteDirector(service.SocketPath))
            {
                director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
                director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(System.Net.IPAddress.Loopback, (ushort)web.Port) });
            }
            // steady load: two clients, a new connection per request; bounded by the restarts (and by a ceiling)
            for (int c = 0; c < 2; c++)
            {
                var t = new Thread(() =>
                {
                    for (int i = 0; i < 2_000_000 && !stop.IsCancellationRequested; i++)
                    {
                        try
                        {
                            if (LoopbackClient.HttpGet(vip, id.Port, timeoutMs: 20000).Backend == "hitless") Interlocked.Increment(ref ok);
                            else failures.Enqueue("wrong backend");
                        }
                        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or InvalidOperationException)
                        {
                            failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {e.GetType().Name}: {e.Message}");
                        }
                        // about 50 requests a second each: steady, and well below what loopback's ephemeral ports
                        // can take with every closed connection in TIME_WAIT for a minute
                        Thread.Sleep(20);
                    }
                }) { IsBackground = true };
                t.Start();
                clients.Add(t);
            }
            SpinWait.SpinUntil(() => Interlocked.Read(ref ok) > 10 || !failures.IsEmpty, TimeSpan.FromSeconds(60));

            for (int r = 0; r < restarts; r++)
            {
                using var director = new RemoteDirector(service.SocketPath);
                _output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} restart {r}");
                pids.Add(director.Restart());
                _output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} restarted {r}");
                long before = Interlocked.Read(ref ok);
                // traffic goes on through the new process before the next restart (bounded)
                SpinWait.SpinUntil(() => Interlocked.Read(ref ok) > before + 5 || !failures.IsEmpty, TimeSpan.FromSeconds(60));
            }
            stop.Cancel();
            foreach (var t in clients) t.Join(TimeSpan.FromSeconds(60));

            using var last = new RemoteDirector(service.SocketPath);
            Assert.Single(last.GetService(id)!.RealServers); // the configuration came through every restart
            Assert.Equal(restarts + 1, pids.Distinct().Count());
            foreach (var f in failures) _output.WriteLine(f);
            _output.WriteLine($"{restarts} restarts, {Interlocked.Read(ref ok)} requests answered, {failures.Count} failed");
            Assert.True(failures.IsEmpty, $"{failures.Count} of {ok + failures.Count} requests failed, e.g. {failures.FirstOrDefault()}");
            Assert.True(ok > restarts * 5);
            last.Shutdown();
        }
        catch
        {
            _output.WriteLine($"answered {Interlocked.Read(ref ok)}, failed {failures.Count}: {failures.FirstOrDefault()}\nservice log:\n{service.Output}");
            throw;
        }
        finally
        {
            stop.Cancel();
            EndEveryProcess(service, pids);
        }
    }

    [Fact]
    public void Udp_requests_are_answered_through_restarts_in_a_row()
    {
        // the UDP socket is handed over too: the new process reads the virtual address's datagrams from the moment it
        // serves, and the old one still sends its flows' replies from it, so no request is refused or left unanswered
        using var service = DirectorServiceProcess.StartNew();
        using var echo = UdpEchoBackend.Start("hitless-udp");
        var vip = TestAddresses.NewVip();
        var id = VirtualServiceId.Parse($"udp/{vip}:{TestAddresses.NewPort()}");
        var pids = new List<int> { service.Pid };
        long ok = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        try
        {
            using (var director = new RemoteDirector(service.SocketPath))
            {
                director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
                director.AddRealServer(id, new RealServerSettings { Id = RealServerId.Create(System.Net.IPAddress.Loopback, (ushort)echo.Port) });
            }
            var client = new Thread(() =>
            {
                for (int i = 0; i < 1_000_000 && !stop.IsCancellationRequested; i++)
                {
                    try
                    {
                        var reply = LoopbackClient.UdpRequest(vip, id.Port, "q" + i, timeoutMs: 5000);
                        if (reply is not null && reply.Contains("q" + i, StringComparison.Ordinal)) Interlocked.Increment(ref ok);
                        else failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} request {i}: {(reply is null ? "no answer" : "wrong answer " + reply)}");
                    }
                    catch (System.Net.Sockets.SocketException e)
                    {
                        failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} request {i}: {e.SocketErrorCode}");
                    }
                    Thread.Sleep(10);
                }
            }) { IsBackground = true };
            client.Start();
            SpinWait.SpinUntil(() => Interlocked.Read(ref ok) > 10 || !failures.IsEmpty, TimeSpan.FromSeconds(60));
            for (int r = 0; r < 5; r++)
            {
                using var director = new RemoteDirector(service.SocketPath);
                pids.Add(director.Restart());
                long before = Interlocked.Read(ref ok);
                SpinWait.SpinUntil(() => Interlocked.Read(ref ok) > before + 10 || !failures.IsEmpty, TimeSpan.FromSeconds(60));
            }
            stop.Cancel();
            client.Join(TimeSpan.FromSeconds(30));
            _output.WriteLine($"5 restarts, {Interlocked.Read(ref ok)} UDP requests answered, {failures.Count} failed");
            foreach (var f in failures) _output.WriteLine(f);
            Assert.True(failures.IsEmpty, $"{failures.Count} of {ok + failures.Count} UDP requests failed, e.g. {failures.FirstOrDefault()}");
            Assert.True(ok > 50);
            using var last = new RemoteDirector(service.SocketPath);
            last.Shutdown();
        }
        finally
        {
            stop.Cancel();
            EndEveryProcess(service, pids);
        }
    }

    [Fact]
    public void A_hand_over_without_the_token_is_refused_and_the_service_keeps_serving()
    {
        using var service = DirectorServiceProcess.StartNew();
        using var raw = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified) { ReceiveTimeout = 20000 };
        LoopbackClient.Connect(raw, new System.Net.Sockets.UnixDomainSocketEndPoint(service.SocketPath));
        raw.Send(System.Text.Encoding.UTF8.GetBytes("{\"op\":\"HandOver\",\"arg\":\"guess\"}\n"));
        var buffer = new byte[4096];
        var answer = System.Text.Encoding.UTF8.GetString(buffer, 0, raw.Receive(buffer));
        Assert.Contains("HandOverRefused", answer);
        using var director = new RemoteDirector(service.SocketPath);
        Assert.Equal(DirectorKind.Service, director.GetInfo().Kind);
    }

    /// <summary>Ends every process a restart test started: the ones it saw take over, and (a process that took over during a
    /// restart that then failed has an id the test never saw) whatever still serves the socket.</summary>
    private static void EndEveryProcess(DirectorServiceProcess service, IEnumerable<int> pids)
    {
        foreach (var pid in pids.Skip(1)) KillIfRunning(pid);
        try
        {
            using var remaining = new RemoteDirector(service.SocketPath);
            remaining.Shutdown();
        }
        catch (LvsException)
        {
        }
    }

    private static void KillIfRunning(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            if (!p.HasExited && p.ProcessName.Contains("dotnet", StringComparison.Ordinal) || p.ProcessName.StartsWith("LvsPs", StringComparison.Ordinal)) p.Kill();
        }
        catch (ArgumentException)
        {
            // already gone
        }
        catch (InvalidOperationException)
        {
        }
    }
}
