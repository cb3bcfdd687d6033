namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// wlc, after net/netfilter/ipvs/ip_vs_wlc.c: the destination with the least overhead / weight, where overhead is
/// active connections * 256 + inactive connections. The comparison is strict and multiplied out
/// (loh * dw &gt; doh * lw), so the first such destination in list order wins ties.
/// </summary>
internal sealed class WeightedLeastConnectionScheduler : IScheduler
{
    public string Name => "wlc";

    public void OnAdded(DestinationSet set, Destination destination) { }

    public void OnRemoved(DestinationSet set, Destination destination, int index) { }

    public void OnUpdated(DestinationSet set, Destination destination) { }

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
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
                loh = d.ConnectionOverhead;
                break;
            }
        }
        if (least is null) return null;
        for (i++; i < items.Length; i++)
        {
            var d = items[i];
            if (d.Overloaded) continue;
            long doh = d.ConnectionOverhead;
            if (loh * d.Weight > doh * least.Weight)
            {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
