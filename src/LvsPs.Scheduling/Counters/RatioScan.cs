using System.Numerics;

namespace LvsPs.Scheduling.Counters;

/// <summary>
/// One least-connection family formula: which destinations a scan skips (the kernel loop's <c>continue</c>), and the
/// overhead (numerator) and weight (denominator) it compares as <c>loh * dw &gt; doh * lw</c>. Each has a scalar form,
/// the kernel's own arithmetic, and a vector form over <see cref="Vector{T}"/> lanes of the same ints.
/// </summary>
internal interface IRatio
{
    /// <summary>nq: the first idle destination (no active connections) in list order wins outright.</summary>
    static abstract bool IdleWins { get; }

    /// <summary>The numerator is compared unsigned (lc's unsigned int overhead) rather than sign-extended.</summary>
    static abstract bool UnsignedNumerator { get; }

    static abstract bool Excluded(int weight, int flags, int active);

    static abstract long Numerator(int weight, int active, int inactive);

    static abstract long Denominator(int weight, int active);

    /// <summary>All ones in the lanes that <see cref="Excluded(int, int, int)"/> would skip.</summary>
    static abstract Vector<int> Excluded(Vector<int> weight, Vector<int> flags, Vector<int> active);

    /// <summary>The numerator in 32 bits, widened as <see cref="UnsignedNumerator"/> says.</summary>
    static abstract Vector<int> Numerator(Vector<int> weight, Vector<int> active, Vector<int> inactive);

    static abstract Vector<int> Denominator(Vector<int> weight, Vector<int> active);
}

/// <summary>
/// The scan that lc, wlc, sed, nq, fo, ovf, lblc and lblcr share: the destination that minimises numerator /
/// denominator, where a later one (in list order) replaces the current one only when strictly better, so ties go to the
/// first. It reads the set's <see cref="CounterBlock"/> from the highest slot down, which is the kernel's list order.
/// <para>
/// The vector path keeps one running best per lane and merges them at the end, breaking ties by list position. That is
/// the same choice as the kernel's sequential loop when every numerator is non-negative (products then compare as exact
/// ratios, below 2^48 with weights up to 65535); a scan that meets a negative (wrapped) overhead is run again
/// sequentially, with the kernel's arithmetic.
/// </para>
/// </summary>
internal static class RatioScan
{
    public static Destination? Least<T>(DestinationSet set) where T : IRatio
    {
        var block = set.Counters;
        int index = Vector.IsHardwareAccelerated && Vector<long>.IsSupported ? Vectorized<T>(block) : Sequential<T>(block);
        return index < 0 ? null : block.Owners[index];
    }

    /// <summary>The kernel's loop, one destination at a time, in list order.</summary>
    internal static int Sequential<T>(CounterBlock block) where T : IRatio
    {
        int count = block.Count;
        if (T.IdleWins)
        {
            int idle = FirstIdle<T>(block, count - 1);
            if (idle >= 0) return idle;
        }
        return SequentialFrom<T>(block, count - 1, -1, 1, 0);
    }

    private static int FirstIdle<T>(CounterBlock block, int from) where T : IRatio
    {
        for (int i = from; i >= 0; i--)
        {
            int active = Volatile.Read(ref block.Active[i]);
            if (active == 0 && !T.Excluded(block.Weight[i], Volatile.Read(ref block.Flags[i]), active)) return i;
        }
        return -1;
    }

    /// <summary>Continues a scan at slot <paramref name="from"/> down to 0 from the running best (loh / lw; lw 0 = none yet).</summary>
    private static int SequentialFrom<T>(CounterBlock block, int from, int best, long loh, long lw) where T : IRatio
    {
        var weights = block.Weight;
        var flags = block.Flags;
        var active = block.Active;
        var inactive = block.Inactive;
        for (int i = from; i >= 0; i--)
        {
            int w = weights[i];
            int a = Volatile.Read(ref active[i]);
            if (T.Excluded(w, Volatile.Read(ref flags[i]), a)) continue;
            long doh = T.Numerator(w, a, Volatile.Read(ref inactive[i]));
            long dw = T.Denominator(w, a);
            // the sentinel (1 / 0) loses to the first destination with a weight above 0, as the kernel's first loop picks it
            if (loh * dw > doh * lw)
            {
                best = i;
                loh = doh;
                lw = dw;
            }
        }
        return best;
    }

    internal static int Vectorized<T>(CounterBlock block) where T : IRatio
    {
        int count = block.Count;
        int width = Vector<int>.Count;
        int half = Vector<long>.Count;
        if (count < width * 2) return Sequential<T>(block);

        var weights = block.Weight;
        var flags = block.Flags;
        var active = block.Active;
        var inactive = block.Inactive;

        if (T.IdleWins)
        {
            // the first idle destination in list order: the highest slot that is idle and not skipped
            int start0 = count - width;
            for (int start = start0; start >= 0; start -= width)
            {
                var a = new Vector<int>(active, start);
                var idle = Vector.AndNot(Vector.Equals(a, Vector<int>.Zero), T.Excluded(new Vector<int>(weights, start), new Vector<int>(flags, start), a));
                if (idle != Vector<int>.Zero)
                {
                    for (int lane = width - 1; lane >= 0; lane--)
                    {
                        if (idle[lane] != 0) return start + lane;
                    }
                }
            }
            int tailIdle = FirstIdle<T>(block, (start0 % width + width) % width - 1);
            if (tailIdle >= 0) return tailIdle;
        }

        var bestNumLo = Vector<long>.One;
        var bestNumHi = Vector<long>.One;
        var bestDenLo = Vector<long>.Zero;
        var bestDenHi = Vector<long>.Zero;
        var bestIdxLo = new Vector<long>(-1);
        var bestIdxHi = new Vector<long>(-1);
        var negative = Vector<int>.Zero;
        var lanes = Vector<long>.Indices;

        int last = count - width;
        int s = last;
        for (; s >= 0; s -= width)
        {
            var w = new Vector<int>(weights, s);
            var a = new Vector<int>(active, s);
            var excluded = T.Excluded(w, new Vector<int>(flags, s), a);
            var num = Vector.AndNot(T.Numerator(w, a, new Vector<int>(inactive, s)), excluded);
            var den = Vector.AndNot(T.Denominator(w, a), excluded);
            negative |= num;

            Vector<long> numLo, numHi;
            if (T.UnsignedNumerator)
            {
                Vector.Widen(Vector.AsVectorUInt32(num), out var ulo, out var uhi);
                numLo = Vector.AsVectorInt64(ulo);
                numHi = Vector.AsVectorInt64(uhi);
            }
            else
            {
                Vector.Widen(num, out numLo, out numHi);
            }
            Vector.Widen(den, out var denLo, out var denHi);

            var takeLo = Vector.GreaterThan(bestNumLo * denLo, numLo * bestDenLo);
            bestNumLo = Vector.ConditionalSelect(takeLo, numLo, bestNumLo);
            bestDenLo = Vector.ConditionalSelect(takeLo, denLo, bestDenLo);
            bestIdxLo = Vector.ConditionalSelect(takeLo, lanes + new Vector<long>(s), bestIdxLo);

            var takeHi = Vector.GreaterThan(bestNumHi * denHi, numHi * bestDenHi);
            bestNumHi = Vector.ConditionalSelect(takeHi, numHi, bestNumHi);
            bestDenHi = Vector.ConditionalSelect(takeHi, denHi, bestDenHi);
            bestIdxHi = Vector.ConditionalSelect(takeHi, lanes + new Vector<long>(s + half), bestIdxHi);
        }

        if (!T.UnsignedNumerator && Vector.LessThanAny(negative, Vector<int>.Zero))
        {
            return Sequential<T>(block); // a wrapped overhead: only the kernel's own order of comparisons is exact
        }

        // merge the lanes: the least ratio, and among equal ones the first in list order (the highest slot)
        int best = -1;
        long loh = 1, lw = 0;
        for (int lane = 0; lane < half; lane++)
        {
            Merge(bestNumLo[lane], bestDenLo[lane], (int)bestIdxLo[lane], ref best, ref loh, ref lw);
            Merge(bestNumHi[lane], bestDenHi[lane], (int)bestIdxHi[lane], ref best, ref loh, ref lw);
        }
        // the slots below the last whole vector come last in list order
        return SequentialFrom<T>(block, s + width - 1, best, loh, lw);
    }

    private static void Merge(long num, long den, int index, ref int best, ref long loh, ref long lw)
    {
        if (index < 0) return;
        long left = loh * den, right = num * lw;
        if (left > right || (left == right && index > best))
        {
            best = index;
            loh = num;
            lw = den;
        }
    }
}
