using LvsPs.Engine.Stats;

namespace LvsPs.Tests.Engine;

/// <summary>The estimator follows net/netfilter/ipvs/ip_vs_est.c: 2 s samples, avg += (rate - avg) / 4, scaled.</summary>
public class StatsCountersTests
{
    [Fact]
    public void Rates_converge_like_the_kernel_estimator()
    {
        var c = new StatsCounters();
        // 100 connections and 1000 bytes in each 2 s interval: 50 conn/s, 500 B/s
        for (int tick = 1; tick <= 40; tick++)
        {
            for (int i = 0; i < 100; i++) c.AddConnection();
            c.AddIn(10, 1000);
            c.EstimateTick();
        }
        var s = c.Snapshot();
        Assert.Equal(4000ul, s.Connections);
        Assert.Equal(50ul, s.ConnectionsPerSecond);
        Assert.Equal(500ul, s.BytesInPerSecond);
        Assert.Equal(5ul, s.PacketsInPerSecond);
    }

    [Fact]
    public void First_tick_is_a_quarter_of_the_rate()
    {
        var c = new StatsCounters();
        for (int i = 0; i < 80; i++) c.AddConnection(); // 40/s over 2 s
        c.EstimateTick();
        // cps = (80 << 9) >> 2 = 10240 -> (10240 + 511) >> 10 = 10
        Assert.Equal(10ul, c.Snapshot().ConnectionsPerSecond);
    }

    [Fact]
    public void Zero_resets_counters_and_rates()
    {
        var c = new StatsCounters();
        c.AddConnection();
        c.AddOut(3, 300);
        c.EstimateTick();
        c.Zero();
        var s = c.Snapshot();
        Assert.Equal(0ul, s.Connections + s.PacketsOut + s.BytesOut + s.ConnectionsPerSecond + s.BytesOutPerSecond);
    }
}
