using System.Net;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Counters;
using LvsPs.Scheduling.Schedulers;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// The least-connection family scans the set's counter block with vectors. These tests hold it to the kernel's loops,
/// written out here once more over the destinations in list order (ip_vs_lc.c, ip_vs_wlc.c, ip_vs_sed.c, ip_vs_nq.c,
/// ip_vs_fo.c, ip_vs_ovf.c), on sets large enough for the vector path, with ties, weight 0, overload and removals.
/// </summary>
public class LeastScanTests
{
    private static Destination? KernelLc(Destination[] items)
    {
        Destination? least = null;
        uint loh = 0;
        foreach (var d in items)
        {
            if (d.Overloaded || d.Weight == 0) continue;
            uint doh = (uint)d.ConnectionOverhead;
            if (least is null || doh < loh) (least, loh) = (d, doh);
        }
        return least;
    }

    private static Destination? KernelWlcOrSed(Destination[] items, Func<Destination, long> overhead)
    {
        Destination? least = null;
        int i = 0;
        for (; i < items.Length; i++)
        {
            if (!items[i].Overloaded && items[i].Weight > 0)
            {
                least = items[i];
                break;
            }
        }
        if (least is null) return null;
        long loh = overhead(least);
        for (i++; i < items.Length; i++)
        {
            var d = items[i];
            if (d.Overloaded) continue;
            long doh = overhead(d);
            if (loh * d.Weight > doh * least.Weight) (least, loh) = (d, doh);
        }
        return least;
    }

    private static Destination? KernelNq(Destination[] items)
    {
        Destination? least = null;
        long loh = 0;
        foreach (var d in items)
        {
            if (d.Overloaded || d.Weight == 0) continue;
            long doh = d.ActiveConnections + 1L;
            if (d.ActiveConnections == 0) return d;
            if (least is null || loh * d.Weight > doh * least.Weight) (least, loh) = (d, doh);
        }
        return least;
    }

    private static Destination? KernelFo(Destination[] items)
    {
        Destination? best = null;
        int hw = 0;
        foreach (var d in items)
        {
            if (!d.Overloaded && d.Weight > hw) (best, hw) = (d, d.Weight);
        }
        return best;
    }

    private static Destination? KernelOvf(Destination[] items)
    {
        Destination? h = null;
        int hw = 0;
        foreach (var d in items)
        {
            int w = d.Weight;
            if (d.Overloaded || d.ActiveConnections > w || w == 0) continue;
            if (h is null || w > hw) (h, hw) = (d, w);
        }
        return h;
    }

    private static Destination? Kernel(string scheduler, Destination[] items) => scheduler switch
    {
        "lc" => KernelLc(items),
        "wlc" => KernelWlcOrSed(items, d => d.ConnectionOverhead),
        "sed" => KernelWlcOrSed(items, d => d.ActiveConnections + 1L),
        "nq" => KernelNq(items),
        "fo" => KernelFo(items),
        "ovf" => KernelOvf(items),
        _ => throw new ArgumentOutOfRangeException(nameof(scheduler)),
    };

    [Theory]
    [InlineData("lc")]
    [InlineData("wlc")]
    [InlineData("sed")]
    [InlineData("nq")]
    [InlineData("fo")]
    [InlineData("ovf")]
    public void Vector_scan_chooses_what_the_kernel_loop_chooses(string scheduler)
    {
        var random = new Random(7);
        int checkedDecisions = 0, distinct = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(0, 140);
            int maxConnections = random.Next(1, 4); // small ranges make many ties
            var set = new DestinationSet(scheduler);
            var all = new List<Destination>();
            for (int i = 0; i < n; i++)
            {
                uint upper = random.Next(8) == 0 ? 2u : 0u;
                int weight = random.Next(10) switch { 0 => 0, 1 => 65535, _ => random.Next(1, 4) };
                var d = set.Add(new RealServerSettings { Id = RealServerId.Create(new IPAddress(new byte[] { 10, 1, (byte)(i >> 8), (byte)i }), 80), Weight = weight, UpperThreshold = upper });
                for (int c = random.Next(0, maxConnections + 1); c > 0; c--) d.BindConnection(active: true);
                for (int c = random.Next(0, maxConnections + 1); c > 0; c--) d.BindConnection(active: false);
                all.Add(d);
            }
            // remove some (dead slots the scan must skip, and sometimes a compaction)
            foreach (var d in all.Where(_ => random.Next(6) == 0).ToList()) set.Remove(d);

            var expected = Kernel(scheduler, set.Items);
            Assert.Same(expected, set.Schedule(AnyRequest));
            checkedDecisions++;
            if (expected is not null && !ReferenceEquals(expected, set.Items.FirstOrDefault())) distinct++;
        }
        Assert.Equal(300, checkedDecisions);
        Assert.True(distinct > 100, $"only {distinct} decisions chose past the head of the list");
    }

    [Fact]
    public void Wrapped_overheads_fall_back_to_the_kernels_own_order()
    {
        // 2^23 active connections wrap ip_vs_dest_conn_overhead (an int) negative, as in the kernel; the vector path
        // must notice and give the sequential answer, which is then not the least ratio.
        var block = new CounterBlock(64);
        var owners = new List<Destination>();
        for (int i = 0; i < 40; i++)
        {
            var d = new Destination(Rs($"10.2.0.{i + 1}", weight: 1 + i % 3));
            owners.Add(d);
            block.Append(d, d.Weight, 0);
            block.Active[i] = 5 + i % 4;
        }
        block.Active[30] = 1 << 23; // overhead 2^31 wraps to int.MinValue
        block.Weight[12] = 0;
        int sequential = RatioScan.Sequential<WeightedLeastConnectionScheduler.Formula>(block);
        Assert.Equal(30, sequential);
        Assert.Equal(sequential, RatioScan.Vectorized<WeightedLeastConnectionScheduler.Formula>(block));
        // lc compares unsigned: the same counter is then the largest, not the least
        int lc = RatioScan.Sequential<LeastConnectionScheduler.Formula>(block);
        Assert.NotEqual(30, lc);
        Assert.Equal(lc, RatioScan.Vectorized<LeastConnectionScheduler.Formula>(block));
    }

    [Fact]
    public async Task Counters_survive_blocks_moving_under_concurrent_connections()
    {
        // Four threads bind and unbind on ten long-lived destinations while the set adds and removes others, which
        // grows and compacts the counter block over and over. No update may be lost or counted twice.
        var set = new DestinationSet("wlc");
        var stable = Enumerable.Range(1, 10).Select(i => set.Add(Rs($"10.3.0.{i}"))).ToArray();
        var binds = new int[stable.Length, 2];
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            var random = new Random(t);
            var mine = new int[stable.Length, 2];
            for (int k = 0; k < 400_000; k++)
            {
                int i = random.Next(stable.Length);
                bool active = random.Next(2) == 0;
                stable[i].BindConnection(active);
                if (random.Next(3) == 0)
                {
                    stable[i].SetConnectionActive(!active);
                    active = !active;
                }
                if (random.Next(2) == 0) stable[i].UnbindConnection(active);
                else mine[i, active ? 1 : 0]++;
            }
            lock (binds)
            {
                for (int i = 0; i < stable.Length; i++)
                {
                    binds[i, 0] += mine[i, 0];
                    binds[i, 1] += mine[i, 1];
                }
            }
        })).ToArray();
        int moves = 0;
        var churn = new List<Destination>();
        while (!workers.All(w => w.IsCompleted))
        {
            var block = set.Counters;
            for (int j = 0; j < 40; j++) churn.Add(set.Add(Rs($"10.4.{moves % 200}.{j + 1}")));
            foreach (var d in churn) set.Remove(d);
            churn.Clear();
            if (!ReferenceEquals(block, set.Counters)) moves++;
            set.Schedule(AnyRequest);
        }
        await Task.WhenAll(workers);
        Assert.True(moves > 3, $"the block moved only {moves} times");
        for (int i = 0; i < stable.Length; i++)
        {
            Assert.Equal(binds[i, 0], stable[i].InactiveConnections);
            Assert.Equal(binds[i, 1], stable[i].ActiveConnections);
        }
        Assert.Equal(10, set.Items.Length);
    }

    [Fact]
    public void A_removed_destination_keeps_counting_after_its_slot_is_compacted_away()
    {
        var set = new DestinationSet("lc");
        var gone = set.Add(Rs("10.5.0.1"));
        gone.BindConnection(active: true);
        gone.BindConnection(active: true);
        set.Remove(gone);
        var block = set.Counters;
        for (int i = 0; i < 100; i++) set.Remove(set.Add(Rs($"10.5.1.{i + 1}"))); // many dead slots: compaction
        Assert.NotSame(block, set.Counters);
        gone.UnbindConnection(active: true);
        Assert.Equal(1, gone.ActiveConnections);
        Assert.Null(set.Schedule(AnyRequest));
    }
}
