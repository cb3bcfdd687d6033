using LvsPs.Model;
using LvsPs.Scheduling.Hashing;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// sh, after net/netfilter/ipvs/ip_vs_sh.c: a 256-bucket table where each destination in list order takes
/// <c>weight</c> consecutive buckets (at least one, even at weight 0; ip_vs_sh_reassign), round and round, rebuilt on
/// every add, edit and delete. A decision looks up (offset + hash_32(port + fold(client address), 8)) &amp; 255 with
/// offset 0, where port is the client's port with sh-port (Sched2) and 0 otherwise. An unavailable pick (weight &lt;= 0
/// or overloaded) fails, or with sh-fallback (Sched1) walks roffset = (offset + ihash) % 256 until an available one or
/// an empty bucket.
/// </summary>
internal sealed class SourceHashingScheduler : IScheduler
{
    /// <summary>IP_VS_SH_TAB_BITS (CONFIG_IP_VS_SH_TAB_BITS default 8).</summary>
    public const int TableBits = 8;
    public const int TableSize = 1 << TableBits;
    private const uint TableMask = TableSize - 1;

    private Destination?[] _buckets = new Destination?[TableSize];

    public SourceHashingScheduler(DestinationSet set) => Reassign(set);

    private SourceHashingScheduler(Destination?[] buckets) => _buckets = buckets;

    public string Name => "sh";

    /// <summary>Decisions read the destinations and never change this scheduler's state.</summary>
    public bool IsReadOnly => true;

    public void OnAdded(DestinationSet set, Destination destination) => Reassign(set);

    public void OnRemoved(DestinationSet set, Destination destination, int index) => Reassign(set);

    public void OnUpdated(DestinationSet set, Destination destination) => Reassign(set);

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) =>
        new SourceHashingScheduler(Volatile.Read(ref _buckets).Select(d => d is null ? null : map(d)).ToArray());

    internal IReadOnlyList<Destination?> Buckets => Volatile.Read(ref _buckets);

    /// <summary>ip_vs_sh_reassign, into a new table published whole (decisions read it without a lock).</summary>
    private void Reassign(DestinationSet set)
    {
        var items = set.Items;
        var next = new Destination?[TableSize];
        int p = 0, count = 0;
        for (int i = 0; i < TableSize; i++)
        {
            if (items.Length == 0)
            {
                continue;
            }
            if (p == items.Length) p = 0; // past the end: back to the first
            var d = items[p];
            next[i] = d;
            // "Don't move to next dest until filling weight"
            if (++count >= d.Weight)
            {
                p++;
                count = 0;
            }
        }
        Volatile.Write(ref _buckets, next);
    }

    /// <summary>ip_vs_sh_hashkey.</summary>
    internal static uint HashKey(in NetAddress address, ushort port, uint offset) =>
        unchecked(offset + GoldenRatioHash.Hash32(unchecked(port + address.Fold), TableBits)) & TableMask;

    private static bool IsUnavailable(Destination d) => d.Weight <= 0 || d.Overloaded;

    /// <summary>The port sh-port/mh-port hash: the client's port for TCP, UDP and SCTP, otherwise 0.</summary>
    internal static ushort HashPort(DestinationSet set, in SchedulingRequest request) =>
        (set.Flags & ServiceFlags.Sched2) != 0 && request.Protocol is LvsProtocol.Tcp or LvsProtocol.Udp or LvsProtocol.Sctp
            ? request.ClientPort
            : (ushort)0;

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        ushort port = HashPort(set, request);
        var addr = request.ClientAddress;
        uint ihash = HashKey(addr, port, 0);
        var buckets = Volatile.Read(ref _buckets);
        var d = buckets[ihash];
        if ((set.Flags & ServiceFlags.Sched1) == 0) return d is null || IsUnavailable(d) ? null : d;

        // ip_vs_sh_get_fallback
        if (d is null) return null;
        if (!IsUnavailable(d)) return d;
        for (uint offset = 0; offset < TableSize; offset++)
        {
            uint roffset = (offset + ihash) % TableSize;
            d = buckets[HashKey(addr, port, roffset)];
            if (d is null) break;
            if (!IsUnavailable(d)) return d;
        }
        return null;
    }
}
