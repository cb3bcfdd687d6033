using System.Numerics;
using LvsPs.Scheduling.Counters;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// lc, after net/netfilter/ipvs/ip_vs_lc.c: the destination with the least overhead (active * 256 + inactive,
/// ip_vs_dest_conn_overhead), skipping overloaded and weight-0 ones. The comparison is strict (doh &lt; loh), so the
/// first such destination in list order wins ties. Weights other than 0 do not matter.
/// </summary>
internal sealed class LeastConnectionScheduler : ReadOnlyScheduler
{
    public override string Name => "lc";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request) => RatioScan.Least<Formula>(set);

    /// <summary>Skips overloaded and weight-0 destinations; compares the overhead as an unsigned int.</summary>
    internal readonly struct Formula : IRatio
    {
        public static bool IdleWins => false;
        public static bool UnsignedNumerator => true;
        public static bool Excluded(int weight, int flags, int active) => flags != 0 || weight == 0;
        public static long Numerator(int weight, int active, int inactive) => unchecked((uint)((active << 8) + inactive));
        public static long Denominator(int weight, int active) => 1;
        public static Vector<int> Excluded(Vector<int> weight, Vector<int> flags, Vector<int> active) =>
            ~Vector.Equals(flags, Vector<int>.Zero) | Vector.Equals(weight, Vector<int>.Zero);
        public static Vector<int> Numerator(Vector<int> weight, Vector<int> active, Vector<int> inactive) => Vector.ShiftLeft(active, 8) + inactive;
        public static Vector<int> Denominator(Vector<int> weight, Vector<int> active) => Vector<int>.One;
    }
}
