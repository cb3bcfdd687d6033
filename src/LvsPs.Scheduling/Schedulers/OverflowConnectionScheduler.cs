using System.Numerics;
using LvsPs.Scheduling.Counters;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// ovf, after net/netfilter/ipvs/ip_vs_ovf.c: the highest weight among destinations that are not overloaded, have a
/// weight above 0 and whose active connections do not exceed their weight. The comparison is strict, so among equal
/// weights the first in list order wins. Inactive connections do not count.
/// </summary>
internal sealed class OverflowConnectionScheduler : ReadOnlyScheduler
{
    public override string Name => "ovf";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request) => RatioScan.Least<Formula>(set);

    /// <summary>Skips overloaded, weight-0 and over-full (active &gt; weight) destinations; the highest weight wins, as the least 1 / weight.</summary>
    internal readonly struct Formula : IRatio
    {
        public static bool IdleWins => false;
        public static bool UnsignedNumerator => false;
        public static bool Excluded(int weight, int flags, int active) => flags != 0 || active > weight || weight == 0;
        public static long Numerator(int weight, int active, int inactive) => 1;
        public static long Denominator(int weight, int active) => weight;
        public static Vector<int> Excluded(Vector<int> weight, Vector<int> flags, Vector<int> active) =>
            ~Vector.Equals(flags, Vector<int>.Zero) | Vector.GreaterThan(active, weight) | Vector.Equals(weight, Vector<int>.Zero);
        public static Vector<int> Numerator(Vector<int> weight, Vector<int> active, Vector<int> inactive) => Vector<int>.One;
        public static Vector<int> Denominator(Vector<int> weight, Vector<int> active) => weight;
    }
}
