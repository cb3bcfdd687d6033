namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// lc, after net/netfilter/ipvs/ip_vs_lc.c: the destination with the least overhead (active * 256 + inactive,
/// ip_vs_dest_conn_overhead), skipping overloaded and weight-0 ones. The comparison is strict (doh &lt; loh), so the
/// first such destination in list order wins ties. Weights other than 0 do not matter.
/// </summary>
internal sealed class LeastConnectionScheduler : ReadOnlyScheduler
{
    public override string Name => "lc";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        Destination? least = null;
        uint loh = 0;
        foreach (var d in set.Items)
        {
            if (d.Overloaded || d.Weight == 0) continue;
            uint doh = (uint)d.ConnectionOverhead;
            if (least is null || doh < loh)
            {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
