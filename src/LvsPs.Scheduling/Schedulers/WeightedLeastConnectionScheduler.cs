namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// wlc, after net/netfilter/ipvs/ip_vs_wlc.c: the destination with the least overhead / weight, where overhead is
/// active connections * 256 + inactive connections. The comparison is strict and multiplied out
/// (loh * dw &gt; doh * lw), so the first such destination in list order wins ties.
/// </summary>
internal sealed class WeightedLeastConnectionScheduler : ReadOnlyScheduler
{
    public override string Name => "wlc";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request) => Least(set.Items);

    /// <summary>
    /// The weighted least-connection pick, shared with lblc and lblcr (__ip_vs_lblc_schedule and __ip_vs_lblcr_schedule
    /// are the same loop): first non-overloaded destination with weight &gt; 0, then strictly smaller overhead/weight.
    /// </summary>
    internal static Destination? Least(Destination[] items)
    {
        Destination? least = null;
        long loh = 0;
        long lw = 0;
        int i = 0;
        for (; i < items.Length; i++)
        {
            var d = items[i];
            int w = d.Weight;
            if (!d.Overloaded && w > 0)
            {
                least = d;
                loh = d.ConnectionOverhead;
                lw = w;
                break;
            }
        }
        if (least is null) return null;
        for (i++; i < items.Length; i++)
        {
            var d = items[i];
            if (d.Overloaded) continue;
            long doh = d.ConnectionOverhead;
            int dw = d.Weight;
            if (loh * dw > doh * lw)
            {
                least = d;
                loh = doh;
                lw = dw; // the kernel re-reads least->weight; weights do not change within a decision
            }
        }
        return least;
    }
}
