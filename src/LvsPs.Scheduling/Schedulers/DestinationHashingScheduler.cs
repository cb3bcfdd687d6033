using LvsPs.Scheduling.Hashing;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// dh, after net/netfilter/ipvs/ip_vs_dh.c: a 256-bucket table filled with the destinations in list order, one bucket
/// each, round and round (ip_vs_dh_reassign, weights ignored), rebuilt on every add, edit and delete. A decision looks
/// up bucket hash_32(fold(packet destination address), 8) and fails when that destination is overloaded, has weight
/// 0 or is unavailable; there is no fallback.
/// </summary>
internal sealed class DestinationHashingScheduler : IScheduler
{
    /// <summary>IP_VS_DH_TAB_BITS (CONFIG_IP_VS_DH_TAB_BITS default 8).</summary>
    public const int TableBits = 8;
    public const int TableSize = 1 << TableBits;

    private Destination?[] _buckets = new Destination?[TableSize];

    public DestinationHashingScheduler(DestinationSet set) => Reassign(set);

    private DestinationHashingScheduler(Destination?[] buckets) => _buckets = buckets;

    public string Name => "dh";

    /// <summary>Decisions read the destinations and never change this scheduler's state.</summary>
    public bool IsReadOnly => true;

    public void OnAdded(DestinationSet set, Destination destination) => Reassign(set);

    public void OnRemoved(DestinationSet set, Destination destination, int index) => Reassign(set);

    public void OnUpdated(DestinationSet set, Destination destination) => Reassign(set);

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) =>
        new DestinationHashingScheduler(Volatile.Read(ref _buckets).Select(d => d is null ? null : map(d)).ToArray());

    /// <summary>The destination in each bucket (for tests and previews).</summary>
    internal IReadOnlyList<Destination?> Buckets => Volatile.Read(ref _buckets);

    /// <summary>Builds the new table aside and publishes it whole (decisions read it without a lock).</summary>
    private void Reassign(DestinationSet set)
    {
        var items = set.Items;
        var next = new Destination?[TableSize];
        for (int i = 0; i < TableSize; i++) next[i] = items.Length == 0 ? null : items[i % items.Length];
        Volatile.Write(ref _buckets, next);
    }

    /// <summary>ip_vs_dh_hashkey.</summary>
    internal static uint HashKey(in NetAddress address) => GoldenRatioHash.Hash32(address.Fold, TableBits);

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        var d = Volatile.Read(ref _buckets)[HashKey(request.DestinationAddress)];
        if (d is null || !d.Available || d.Weight <= 0 || d.Overloaded) return null;
        return d;
    }
}
