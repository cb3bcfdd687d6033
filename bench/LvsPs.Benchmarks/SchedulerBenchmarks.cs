using System.Net;
using BenchmarkDotNet.Attributes;
using LvsPs.Model;
using LvsPs.Scheduling;

namespace LvsPs.Benchmarks;

/// <summary>
/// One scheduling decision (DestinationSet.Schedule, lock included) per scheduler and service size. Requests cycle
/// through 1024 precomputed client (and destination) addresses so the hashing schedulers do not hit one bucket;
/// every real server carries a few connections so the least-connection schedulers compare real numbers.
/// </summary>
[MemoryDiagnoser]
public class SchedulerBenchmarks
{
    private const int RequestCount = 1024;
    private DestinationSet _set = null!;
    private SchedulingRequest[] _requests = null!;
    private int _next;

    [Params("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "mh", "fo", "ovf", "twos")]
    public string Scheduler { get; set; } = "rr";

    [Params(10, 100, 1_000, 10_000)]
    public int Servers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _set = new DestinationSet(Scheduler, ServiceFlags.None, new SchedulerOptions { Random = new XorShiftRandom() });
        for (int i = 0; i < Servers; i++)
        {
            var address = new IPAddress(new byte[] { 10, (byte)(i >> 16), (byte)(i >> 8), (byte)i });
            var d = _set.Add(new RealServerSettings { Id = RealServerId.Create(address, 80), Weight = 1 + i % 5 });
            for (int c = 0; c < i % 7; c++) d.BindConnection(active: c % 2 == 0);
        }
        _requests = new SchedulingRequest[RequestCount];
        for (int i = 0; i < RequestCount; i++)
        {
            var client = NetAddress.FromIPv4(0xC6120000u + (uint)i * 7919u);
            var vip = NetAddress.FromIPv4(0xC0A80000u + (uint)(i % 64));
            _requests[i] = new SchedulingRequest(LvsProtocol.Tcp, client, (ushort)(1024 + i), vip, 80, 0);
        }
        for (int i = 0; i < RequestCount; i++) _set.Schedule(_requests[i]); // fill lblc/lblcr caches
    }

    [Benchmark]
    public Destination? Schedule()
    {
        int i = _next;
        _next = (i + 1) & (RequestCount - 1);
        return _set.Schedule(_requests[i]);
    }

    /// <summary>A cheap allocation-free random source, so twos measures itself and not Random.Shared.</summary>
    private sealed class XorShiftRandom : IRandomSource
    {
        private uint _state = 2463534242;

        public uint NextUInt32()
        {
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            return _state = x;
        }
    }
}
