namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// sed, after net/netfilter/ipvs/ip_vs_sed.c: the least expected delay (active + 1) / weight. The first
/// non-overloaded destination with weight &gt; 0 starts; a later one replaces it only when strictly better
/// (loh * dw &gt; doh * lw, in 64 bits), so ties go to the first in list order. Inactive connections do not count.
/// </summary>
internal sealed class ShortestExpectedDelayScheduler : ReadOnlyScheduler
{
    public override string Name => "sed";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        var items = set.Items;
        Destination? least = null;
        long loh = 0;
        int i = 0;
        for (; i < items.Length; i++)
        {
            var d = items[i];
            if (!d.Overloaded && d.Weight > 0)
            {
                least = d;
                loh = d.ActiveConnections + 1L; // ip_vs_sed_dest_overhead
                break;
            }
        }
        if (least is null) return null;
        for (i++; i < items.Length; i++)
        {
            var d = items[i];
            if (d.Overloaded) continue;
            long doh = d.ActiveConnections + 1L;
            if (loh * d.Weight > doh * least.Weight)
            {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
