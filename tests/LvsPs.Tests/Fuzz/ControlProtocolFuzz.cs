using System.Diagnostics;
using System.Text;
using CsCheck;
using LvsPs.Engine;
using LvsPs.Health;
using LvsPs.Health.Probes;
using LvsPs.Model;
using LvsPs.Model.Health;
using LvsPs.Remote;

namespace LvsPs.Tests.Fuzz;

/// <summary>
/// The fuzz target of the control protocol: a request line, as a client could send it, goes through the whole server
/// side (<see cref="ControlDispatcher.Dispatch(ReadOnlySpan{byte})"/>: the bounded parser, argument decoding, the
/// model's validation, a real managed director under a health monitor). It must always come back with an answer, an
/// error with an id and a message of bounded length, within a bounded time; nothing may throw.
/// Lines come from three sources: valid requests of every operation, those requests with bytes changed, cut or
/// repeated, and random bytes. Health checks are given a probe that runs nothing (a fuzzed Command check must not run
/// a fuzzed shell command); the director is real, so changes bind real loopback listeners and are flushed afterwards.
/// Long run: LVSPS_FUZZ_ITERATIONS=N dotnet test ... --filter FullyQualifiedName~ControlProtocolFuzz (docs/director-service.md).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlProtocolFuzz : IDisposable
{
    private static readonly string[] ValidRequests =
    {
        """{"op":"GetInfo"}""",
        """{"op":"GetServices"}""",
        """{"op":"GetService","arg":"tcp/127.0.0.1:1"}""",
        """{"op":"AddService","arg":{"id":"tcp/127.0.0.1:0","scheduler":"wlc","persistenceTimeout":60,"netmask":"255.255.255.0"}}""",
        """{"op":"EditService","arg":{"id":"udp/[::1]:53","scheduler":"rr","flags":"OnePacket"}}""",
        """{"op":"DeleteService","arg":"fwm/7"}""",
        """{"op":"AddRealServer","arg":{"service":"tcp/127.0.0.1:1","settings":{"id":"127.0.0.2:80","weight":3,"forwarding":"DirectRoute"}}}""",
        """{"op":"EditRealServer","arg":{"service":"tcp/127.0.0.1:1","settings":{"id":"[::1]:80","upperThreshold":10,"lowerThreshold":2}}}""",
        """{"op":"DeleteRealServer","arg":{"service":"tcp/127.0.0.1:1","realServer":"127.0.0.2:80"}}""",
        """{"op":"ZeroStats"}""",
        """{"op":"GetTimeouts"}""",
        """{"op":"SetTimeouts","arg":{"tcp":900,"tcpFin":120,"udp":300}}""",
        """{"op":"GetConnections"}""",
        """{"op":"GetSyncDaemons"}""",
        """{"op":"StopSyncDaemon","arg":"Backup"}""",
        """{"op":"SetHealthCheck","arg":{"service":"tcp/127.0.0.1:1","check":{"type":"Http","path":"/health","intervalSeconds":5},"sorryServer":{"id":"127.0.0.9:80"}}}""",
        """{"op":"GetHealthCheck","arg":"tcp/127.0.0.1:1"}""",
        """{"op":"GetHealth"}""",
        """{"op":"CaptureDesired"}""",
        """{"op":"Shutdown"}""",
    };

    private static readonly byte[] Interesting = Encoding.ASCII.GetBytes("{}[]\":,0-9.enulltruefalse\\u0000 \t\r\n\u00ff");

    /// <summary>Request lines: valid, edited valid, or random.</summary>
    public static readonly Gen<byte[]> Lines = Gen.Frequency(
        (2, Gen.OneOf(ValidRequests).Select(s => Encoding.UTF8.GetBytes(s))),
        (6, Gen.Select(Gen.OneOf(ValidRequests), Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1000], Gen.OneOf(Interesting)).Array[1, 6])
            .Select(t => Edit(Encoding.UTF8.GetBytes(t.Item1), t.Item2))),
        (2, Gen.Byte.Array[0, 300]));

    private static byte[] Edit(byte[] line, (int Kind, int At, byte Byte)[] edits)
    {
        var bytes = new List<byte>(line);
        foreach (var (kind, at, b) in edits)
        {
            if (bytes.Count == 0) break;
            int i = at % bytes.Count;
            switch (kind)
            {
                case 0: bytes[i] = b; break;                                    // change a byte
                case 1: bytes.Insert(i, b); break;                              // insert one
                case 2: bytes.RemoveRange(i, bytes.Count - i); break;           // cut the line
                default: bytes.InsertRange(i, bytes.GetRange(i, Math.Min(40, bytes.Count - i))); break; // repeat a piece
            }
        }
        bytes.RemoveAll(x => x == (byte)'\n'); // one line: the reader splits at newlines
        return bytes.ToArray();
    }

    private readonly HealthMonitor _director = new(new ManagedDirector(), probes: _ => new NoProbe());
    private readonly ControlDispatcher _dispatcher;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;
    private readonly Dictionary<string, int> _outcomes = new();
    private TimeSpan _slowest;
    private int _shutdowns;

    public ControlProtocolFuzz(Xunit.Abstractions.ITestOutputHelper output)
    {
        _output = output;
        _dispatcher = new ControlDispatcher(_director, shutdown: () => Interlocked.Increment(ref _shutdowns));
    }

    public void Dispose()
    {
        _director.Flush();
        _director.Dispose();
    }

    /// <summary>The property: an answer, never an exception; a bounded error; a bounded time.</summary>
    internal void Target(byte[] line)
    {
        var watch = Stopwatch.StartNew();
        var response = _dispatcher.Dispatch(line);
        watch.Stop();
        var outcome = response.Error?.ErrorId ?? "answered";
        _outcomes[outcome] = _outcomes.GetValueOrDefault(outcome) + 1;
        if (watch.Elapsed > _slowest) _slowest = watch.Elapsed;
        if (response.Error is { } error)
        {
            if (string.IsNullOrEmpty(error.ErrorId)) throw new InvalidOperationException("an error without an id");
            if (error.ErrorId == "DirectorServiceInternalError") throw new InvalidOperationException("a defect: " + error.Message);
            if (error.Message.Length > 4096) throw new InvalidOperationException($"an error message of {error.Message.Length} characters");
        }
        // a hang, not a slow machine: a request touches at most one service and its real servers
        if (watch.Elapsed > TimeSpan.FromSeconds(20)) throw new TimeoutException($"a request took {watch.Elapsed}");
    }

    [Fact]
    public void Short_seeded_run_finds_no_request_that_breaks_the_dispatcher()
    {
        long iterations = long.TryParse(Environment.GetEnvironmentVariable("LVSPS_FUZZ_ITERATIONS"), out var n) ? n : 3000;
        var seed = Environment.GetEnvironmentVariable("LVSPS_FUZZ_SEED") ?? new PCG(1, 20261128).ToString();
        Lines.Sample(Target, seed: seed, iter: iterations, threads: 1, print: l => Encoding.UTF8.GetString(l));
        _output.WriteLine($"seed {seed}: {_outcomes.Values.Sum()} inputs, slowest {_slowest.TotalMilliseconds:F1} ms, shutdowns asked {_shutdowns}; outcomes: " +
            string.Join(", ", _outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Key} {o.Value}")));
        Assert.True(_outcomes.GetValueOrDefault("answered") > 0, "no request was valid: the generator only tests the parser's refusals");
        Assert.NotNull(_director.GetInfo()); // the director still answers after the run
    }

    private sealed class NoProbe : IHealthProbe
    {
        public Task<ProbeResult> ProbeAsync(VirtualServiceId service, RealServerId realServer, HealthCheckSettings check, CancellationToken cancellation) =>
            Task.FromResult(new ProbeResult(false, "fuzzing: not probed"));
    }
}
