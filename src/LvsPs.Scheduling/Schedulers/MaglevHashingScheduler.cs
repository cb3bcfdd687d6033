using System.Numerics;
using System.Runtime.CompilerServices;
using LvsPs.Model;
using LvsPs.Scheduling.Hashing;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// mh (Maglev hashing), after net/netfilter/ipvs/ip_vs_mh.c. A lookup table of 4093 entries (primes[12 - 8]) is
/// rebuilt on every add, edit and delete: each destination's permutation starts at offset = h1(addr, port) % 4093 and
/// steps by skip = h2(addr, port) % 4092 + 1, where h1/h2 are hsiphash of (offset + port + fold(addr)) under the fixed
/// keys of generate_hash_secret; destinations take turns in list order, each placing
/// ((last_weight / gcd) &gt;&gt; rshift) entries per turn (at least one when last_weight is not 0). A decision looks up
/// h1(client address, port) % 4093, with the client port only under mh-port (Sched2); an unavailable pick (weight
/// &lt;= 0 or overloaded) fails, or with mh-fallback (Sched1) probes h1 with roffset = (offset + ihash) % 4093.
/// </summary>
internal sealed class MaglevHashingScheduler : IScheduler
{
    /// <summary>IP_VS_MH_TAB_SIZE with the default CONFIG_IP_VS_MH_TAB_INDEX 12.</summary>
    public const int TableSize = 4093;

    /// <summary>IP_VS_MH_TAB_BITS = CONFIG_IP_VS_MH_TAB_INDEX / 2.</summary>
    private const int TableBits = 6;

    /// <summary>generate_hash_secret: hash1 = {2654435761, 2654435761}, hash2 = {2654446892, 2654446892}.</summary>
    internal const ulong Hash1Key = 2654435761UL, Hash2Key = 2654446892UL;

    private Destination?[] _lookup = new Destination?[TableSize];

    public MaglevHashingScheduler(DestinationSet set) => Changed(set);

    private MaglevHashingScheduler(Destination?[] lookup) => _lookup = lookup;

    public string Name => "mh";

    /// <summary>Decisions read the destinations and never change this scheduler's state.</summary>
    public bool IsReadOnly => true;

    public void OnAdded(DestinationSet set, Destination destination) => Changed(set);

    public void OnRemoved(DestinationSet set, Destination destination, int index) => Changed(set);

    public void OnUpdated(DestinationSet set, Destination destination) => Changed(set);

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) =>
        new MaglevHashingScheduler(Volatile.Read(ref _lookup).Select(d => d is null ? null : map(d)).ToArray());

    internal IReadOnlyList<Destination?> Lookup => Volatile.Read(ref _lookup);

    /// <summary>ip_vs_mh_hashkey: hsiphash of the u32 (offset + ntohs(port) + ntohl(addr_fold)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint HashKey(in NetAddress address, ushort port, ulong key, uint offset) =>
        HalfSipHash.Hash(unchecked(offset + port + address.Fold), key, key);

    /// <summary>ip_vs_mh_dest_changed: gcd and shift of the last weights, then ip_vs_mh_reassign.</summary>
    private void Changed(DestinationSet set)
    {
        var items = set.Items;
        if (items.Length > TableSize) return; // ip_vs_mh_reassign returns -EINVAL and the table stays as it was
        int gcd = 0, max = 0;
        foreach (var d in items)
        {
            int w = d.LastWeight;
            if (w > 0) gcd = gcd > 0 ? Gcd(w, gcd) : w;
            if (w > max) max = w;
        }
        if (gcd < 1)
        {
            Volatile.Write(ref _lookup, new Destination?[TableSize]); // ip_vs_mh_reset
            return;
        }
        // ip_vs_mh_shift_weight: occupied bits of max/gcd beyond IP_VS_MH_TAB_BITS
        int shift = 32 - BitOperations.LeadingZeroCount((uint)(max / gcd)) - TableBits;
        int rshift = shift >= 0 ? shift : 0;
        Populate(items, gcd, rshift);
    }

    /// <summary>ip_vs_mh_permutate and ip_vs_mh_populate, into a new table published whole (decisions read it without a lock).</summary>
    private void Populate(Destination[] items, int gcd, int rshift)
    {
        var lookup = new Destination?[TableSize];
        int n = items.Length;
        var perm = new uint[n];
        var skip = new uint[n];
        var turns = new int[n];
        for (int i = 0; i < n; i++)
        {
            var d = items[i];
            perm[i] = HashKey(d.Address, d.Port, Hash1Key, 0) % TableSize;
            skip[i] = HashKey(d.Address, d.Port, Hash2Key, 0) % (TableSize - 1) + 1;
            int lw = d.LastWeight;
            int t = (lw / gcd) >> rshift;
            turns[i] = t != 0 ? t : (lw != 0 ? 1 : 0);
        }

        var taken = new bool[TableSize];
        int filled = 0, count = 0;
        while (true)
        {
            // each pass starts again at the list head (p = p->next, ds = &dest_setup[0])
            int i = 0;
            while (i < n)
            {
                if (turns[i] < 1)
                {
                    i++;
                    continue;
                }
                uint c = perm[i];
                while (taken[c])
                {
                    perm[i] += skip[i];
                    if (perm[i] >= TableSize) perm[i] -= TableSize;
                    c = perm[i];
                }
                taken[c] = true;
                lookup[c] = items[i];
                if (++filled == TableSize)
                {
                    Volatile.Write(ref _lookup, lookup);
                    return;
                }
                if (++count >= turns[i])
                {
                    count = 0;
                    i++;
                }
            }
        }
    }

    private static bool IsUnavailable(Destination d) => d.Weight <= 0 || d.Overloaded;

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        ushort port = SourceHashingScheduler.HashPort(set, request);
        var addr = request.ClientAddress;
        uint ihash = HashKey(addr, port, Hash1Key, 0) % TableSize;
        var table = Volatile.Read(ref _lookup);
        var d = table[ihash];
        if ((set.Flags & ServiceFlags.Sched1) == 0) return d is null || IsUnavailable(d) ? null : d;

        // ip_vs_mh_get_fallback
        if (d is null) return null;
        if (!IsUnavailable(d)) return d;
        for (uint offset = 0; offset < TableSize; offset++)
        {
            uint roffset = (offset + ihash) % TableSize;
            d = table[HashKey(addr, port, Hash1Key, roffset) % TableSize];
            if (d is null) break;
            if (!IsUnavailable(d)) return d;
        }
        return null;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }
}
