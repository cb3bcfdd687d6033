using System.Numerics;
using LvsPs.Scheduling.Counters;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// sed, after net/netfilter/ipvs/ip_vs_sed.c: the least expected delay (active + 1) / weight. The first
/// non-overloaded destination with weight &gt; 0 starts; a later one replaces it only when strictly better
/// (loh * dw &gt; doh * lw, in 64 bits), so ties go to the first in list order. Inactive connections do not count.
/// </summary>
internal sealed class ShortestExpectedDelayScheduler : ReadOnlyScheduler
{
    public override string Name => "sed";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request) => RatioScan.Least<Formula>(set);

    /// <summary>Skips overloaded destinations; compares ip_vs_sed_dest_overhead (active + 1) / weight.</summary>
    internal readonly struct Formula : IRatio
    {
        public static bool IdleWins => false;
        public static bool UnsignedNumerator => false;
        public static bool Excluded(int weight, int flags, int active) => flags != 0;
        public static long Numerator(int weight, int active, int inactive) => active + 1L;
        public static long Denominator(int weight, int active) => weight;
        public static Vector<int> Excluded(Vector<int> weight, Vector<int> flags, Vector<int> active) => ~Vector.Equals(flags, Vector<int>.Zero);
        public static Vector<int> Numerator(Vector<int> weight, Vector<int> active, Vector<int> inactive) => active + Vector<int>.One;
        public static Vector<int> Denominator(Vector<int> weight, Vector<int> active) => weight;
    }
}
