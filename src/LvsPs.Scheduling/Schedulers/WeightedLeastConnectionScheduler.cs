using System.Numerics;
using LvsPs.Scheduling.Counters;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// wlc, after net/netfilter/ipvs/ip_vs_wlc.c: the destination with the least overhead / weight, where overhead is
/// active connections * 256 + inactive connections. The comparison is strict and multiplied out
/// (loh * dw &gt; doh * lw), so the first such destination in list order wins ties.
/// </summary>
internal sealed class WeightedLeastConnectionScheduler : ReadOnlyScheduler
{
    public override string Name => "wlc";

    public override Destination? Schedule(DestinationSet set, in SchedulingRequest request) => Least(set);

    /// <summary>
    /// The weighted least-connection pick, shared with lblc and lblcr (__ip_vs_lblc_schedule and __ip_vs_lblcr_schedule
    /// are the same loop): first non-overloaded destination with weight &gt; 0, then strictly smaller overhead/weight.
    /// </summary>
    internal static Destination? Least(DestinationSet set) => RatioScan.Least<Formula>(set);

    /// <summary>Skips overloaded destinations; compares ip_vs_dest_conn_overhead (an int) / weight.</summary>
    internal readonly struct Formula : IRatio
    {
        public static bool IdleWins => false;
        public static bool UnsignedNumerator => false;
        public static bool Excluded(int weight, int flags, int active) => flags != 0;
        public static long Numerator(int weight, int active, int inactive) => unchecked((active << 8) + inactive);
        public static long Denominator(int weight, int active) => weight;
        public static Vector<int> Excluded(Vector<int> weight, Vector<int> flags, Vector<int> active) => ~Vector.Equals(flags, Vector<int>.Zero);
        public static Vector<int> Numerator(Vector<int> weight, Vector<int> active, Vector<int> inactive) => Vector.ShiftLeft(active, 8) + inactive;
        public static Vector<int> Denominator(Vector<int> weight, Vector<int> active) => weight;
    }
}
