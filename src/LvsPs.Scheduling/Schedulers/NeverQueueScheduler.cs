using System.Numerics;
using LvsPs.Scheduling.Counters;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// nq, after net/netfilter/ipvs/ip_vs_nq.c: the first idle destination (no active connections) in list order, else
/// sed's least (active + 1) / weight with a strict comparison. Overloaded and weight-0 destinations are skipped.
/// </summary>
internal sealed class NeverQueueScheduler : ReadOnlyScheduler
{
    public override string Name => "nq";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request) => RatioScan.Least<Formula>(set);

    /// <summary>Skips overloaded and weight-0 destinations; an idle one wins, else (active + 1) / weight (ip_vs_nq_dest_overhead).</summary>
    internal readonly struct Formula : IRatio
    {
        public static bool IdleWins => true;
        public static bool UnsignedNumerator => false;
        public static bool Excluded(int weight, int flags, int active) => flags != 0 || weight == 0;
        public static long Numerator(int weight, int active, int inactive) => active + 1L;
        public static long Denominator(int weight, int active) => weight;
        public static Vector<int> Excluded(Vector<int> weight, Vector<int> flags, Vector<int> active) =>
            ~Vector.Equals(flags, Vector<int>.Zero) | Vector.Equals(weight, Vector<int>.Zero);
        public static Vector<int> Numerator(Vector<int> weight, Vector<int> active, Vector<int> inactive) => active + Vector<int>.One;
        public static Vector<int> Denominator(Vector<int> weight, Vector<int> active) => weight;
    }
}
