using LvsPs.Model;

namespace LvsPs.Engine.Stats;

/// <summary>
/// One service's or real server's counters (the kernel's struct ip_vs_kstats) plus its rate estimator state
/// (struct ip_vs_estimator). Counters are updated lock-free and striped per processor (<see cref="StripedCounters"/>),
/// so relays on different cores do not contend; the estimator runs on <see cref="RateEstimator"/>'s tick.
/// </summary>
public sealed class StatsCounters
{
    private readonly StripedCounters _counts = new();

    // estimator state, touched only by the estimator tick and Zero (under _estGate)
    private readonly object _estGate = new();
    private long _lastConns, _lastInPkts, _lastOutPkts, _lastInBytes, _lastOutBytes;
    private long _cps, _inPps, _outPps, _inBps, _outBps; // scaled: pps/cps by 2^10, bps by 2^5

    public void AddConnection() => _counts.Add(StripedCounters.Connections, 1);

    public void AddIn(long packets, long bytes)
    {
        if (packets != 0) _counts.Add(StripedCounters.InPackets, packets);
        if (bytes != 0) _counts.Add(StripedCounters.InBytes, bytes);
    }

    public void AddOut(long packets, long bytes)
    {
        if (packets != 0) _counts.Add(StripedCounters.OutPackets, packets);
        if (bytes != 0) _counts.Add(StripedCounters.OutBytes, bytes);
    }

    /// <summary>
    /// One estimator step over a 2 s interval, as net/netfilter/ipvs/ip_vs_est.c does it: the interval's rate, scaled
    /// (conns and packets by 2^9 per 2 s, i.e. 2^10 per second; bytes by 2^4, i.e. 2^5 per second), then
    /// avg += (rate - avg) / 4.
    /// </summary>
    internal void EstimateTick()
    {
        lock (_estGate)
        {
            Step(ref _cps, ref _lastConns, _counts.Read(StripedCounters.Connections), 9);
            Step(ref _inPps, ref _lastInPkts, _counts.Read(StripedCounters.InPackets), 9);
            Step(ref _outPps, ref _lastOutPkts, _counts.Read(StripedCounters.OutPackets), 9);
            Step(ref _inBps, ref _lastInBytes, _counts.Read(StripedCounters.InBytes), 4);
            Step(ref _outBps, ref _lastOutBytes, _counts.Read(StripedCounters.OutBytes), 4);
        }

        static void Step(ref long avg, ref long last, long now, int shift)
        {
            long rate = (now - last) << shift;
            last = now;
            avg += (rate - avg) >> 2;
        }
    }

    /// <summary>Zeroes counters and estimator (ip_vs_zero_stats).</summary>
    public void Zero()
    {
        lock (_estGate)
        {
            _counts.Reset();
            _lastConns = _lastInPkts = _lastOutPkts = _lastInBytes = _lastOutBytes = 0;
            _cps = _inPps = _outPps = _inBps = _outBps = 0;
        }
    }

    /// <summary>Reads counters and rates; rates are unscaled with rounding as ip_vs_read_estimator does.</summary>
    public LvsStats Snapshot()
    {
        long cps, inPps, outPps, inBps, outBps;
        lock (_estGate)
        {
            cps = _cps; inPps = _inPps; outPps = _outPps; inBps = _inBps; outBps = _outBps;
        }
        return new LvsStats
        {
            Connections = (ulong)_counts.Read(StripedCounters.Connections),
            PacketsIn = (ulong)_counts.Read(StripedCounters.InPackets),
            PacketsOut = (ulong)_counts.Read(StripedCounters.OutPackets),
            BytesIn = (ulong)_counts.Read(StripedCounters.InBytes),
            BytesOut = (ulong)_counts.Read(StripedCounters.OutBytes),
            ConnectionsPerSecond = Unscale(cps, 0x1FF, 10),
            PacketsInPerSecond = Unscale(inPps, 0x1FF, 10),
            PacketsOutPerSecond = Unscale(outPps, 0x1FF, 10),
            BytesInPerSecond = Unscale(inBps, 0xF, 5),
            BytesOutPerSecond = Unscale(outBps, 0xF, 5),
        };

        static ulong Unscale(long v, long round, int shift) => v <= 0 ? 0 : (ulong)((v + round) >> shift);
    }
}
