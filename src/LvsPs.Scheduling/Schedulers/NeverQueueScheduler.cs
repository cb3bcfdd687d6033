namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// nq, after net/netfilter/ipvs/ip_vs_nq.c: the first idle destination (no active connections) in list order, else
/// sed's least (active + 1) / weight with a strict comparison. Overloaded and weight-0 destinations are skipped.
/// </summary>
internal sealed class NeverQueueScheduler : ReadOnlyScheduler
{
    public override string Name => "nq";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        Destination? least = null;
        long loh = 0;
        foreach (var d in set.Items)
        {
            if (d.Overloaded || d.Weight == 0) continue;
            int active = d.ActiveConnections;
            long doh = active + 1L; // ip_vs_nq_dest_overhead
            if (active == 0) return d; // an idle server takes it at once
            if (least is null || loh * d.Weight > doh * least.Weight)
            {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
