namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// ovf, after net/netfilter/ipvs/ip_vs_ovf.c: the highest weight among destinations that are not overloaded, have a
/// weight above 0 and whose active connections do not exceed their weight. The comparison is strict, so among equal
/// weights the first in list order wins. Inactive connections do not count.
/// </summary>
internal sealed class OverflowConnectionScheduler : ReadOnlyScheduler
{
    public override string Name => "ovf";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        Destination? h = null;
        int hw = 0;
        foreach (var d in set.Items)
        {
            int w = d.Weight;
            if (d.Overloaded || d.ActiveConnections > w || w == 0) continue;
            if (h is null || w > hw)
            {
                h = d;
                hw = w;
            }
        }
        return h;
    }
}
