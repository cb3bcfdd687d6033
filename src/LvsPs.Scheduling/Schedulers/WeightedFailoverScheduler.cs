using System.Numerics;
using LvsPs.Scheduling.Counters;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// fo, after net/netfilter/ipvs/ip_vs_fo.c: the non-overloaded destination with the highest weight (above 0). The
/// comparison is strict (weight &gt; hw), so among equal weights the first in list order wins.
/// </summary>
internal sealed class WeightedFailoverScheduler : ReadOnlyScheduler
{
    public override string Name => "fo";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request) => RatioScan.Least<Formula>(set);

    /// <summary>Skips overloaded destinations; the highest weight is the least 1 / weight (1 * dw &gt; 1 * hw is dw &gt; hw).</summary>
    internal readonly struct Formula : IRatio
    {
        public static bool IdleWins => false;
        public static bool UnsignedNumerator => false;
        public static bool Excluded(int weight, int flags, int active) => flags != 0;
        public static long Numerator(int weight, int active, int inactive) => 1;
        public static long Denominator(int weight, int active) => weight;
        public static Vector<int> Excluded(Vector<int> weight, Vector<int> flags, Vector<int> active) => ~Vector.Equals(flags, Vector<int>.Zero);
        public static Vector<int> Numerator(Vector<int> weight, Vector<int> active, Vector<int> inactive) => Vector<int>.One;
        public static Vector<int> Denominator(Vector<int> weight, Vector<int> active) => weight;
    }
}
