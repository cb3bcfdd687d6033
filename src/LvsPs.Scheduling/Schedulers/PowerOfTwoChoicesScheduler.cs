using LvsPs.Scheduling.Hashing;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// twos, after net/netfilter/ipvs/ip_vs_twos.c: two weighted random picks, rweight1 and rweight2 drawn with
/// get_random_u32_below(total weight + 1) over the non-overloaded destinations with weight &gt; 0; each walk subtracts
/// weights in list order and takes the first destination where the remainder is &lt;= 0. The second pick wins only when
/// its overhead / weight is strictly lower. The random source is <see cref="SchedulerOptions.Random"/>.
/// </summary>
internal sealed class PowerOfTwoChoicesScheduler : IScheduler
{
    private readonly IRandomSource _random;

    public PowerOfTwoChoicesScheduler(IRandomSource random) => _random = random;

    public string Name => "twos";

    public void OnAdded(DestinationSet set, Destination destination) { }

    public void OnRemoved(DestinationSet set, Destination destination, int index) { }

    public void OnUpdated(DestinationSet set, Destination destination) { }

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) => new PowerOfTwoChoicesScheduler(clone.Options.Random);

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        var items = set.Items;
        Destination? choice1 = null, choice2 = null;
        int total = 0;
        foreach (var d in items)
        {
            if (d.Overloaded) continue;
            int w = d.Weight;
            if (w > 0)
            {
                total += w;
                choice1 = d;
            }
        }
        if (choice1 is null) return null;

        // "Add 1 to total_weight so that the random weights are inclusive from 0 to total_weight"
        total += 1;
        int rweight1 = (int)RandomBelow.Next(_random, (uint)total);
        int rweight2 = (int)RandomBelow.Next(_random, (uint)total);

        int weight1 = -1, weight2 = -1, overhead1 = 0, overhead2 = 0;
        foreach (var d in items)
        {
            if (d.Overloaded) continue;
            int w = d.Weight;
            if (w <= 0) continue;
            rweight1 -= w;
            rweight2 -= w;
            if (rweight1 <= 0 && weight1 == -1)
            {
                choice1 = d;
                weight1 = w;
                overhead1 = d.ConnectionOverhead;
            }
            if (rweight2 <= 0 && weight2 == -1)
            {
                choice2 = d;
                weight2 = w;
                overhead2 = d.ConnectionOverhead;
            }
            if (weight1 != -1 && weight2 != -1) break;
        }

        // int arithmetic as in the kernel (weight2 * overhead1 > weight1 * overhead2)
        if (choice2 is not null && unchecked(weight2 * overhead1) > unchecked(weight1 * overhead2)) choice1 = choice2;
        return choice1;
    }
}
