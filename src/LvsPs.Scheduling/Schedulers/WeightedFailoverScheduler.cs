namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// fo, after net/netfilter/ipvs/ip_vs_fo.c: the non-overloaded destination with the highest weight (above 0). The
/// comparison is strict (weight &gt; hw), so among equal weights the first in list order wins.
/// </summary>
internal sealed class WeightedFailoverScheduler : ReadOnlyScheduler
{
    public override string Name => "fo";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        Destination? best = null;
        int hw = 0;
        foreach (var d in set.Items)
        {
            int w = d.Weight;
            if (!d.Overloaded && w > hw)
            {
                best = d;
                hw = w;
            }
        }
        return best;
    }
}
