namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// lblc, after net/netfilter/ipvs/ip_vs_lblc.c: a cache from the packet's destination address to a destination. A
/// cached destination is used (and the entry's lastuse refreshed) while it is available, has weight &gt; 0 and is not
/// overloaded in lblc's sense (<see cref="LocalityOverload"/>); otherwise wlc's pick over the whole service is taken and
/// stored in the entry. Stale entries go by the kernel's timer rules (<see cref="LocalityTable{TEntry}"/>), run lazily
/// at decision time from the request's timestamp. A hit allocates nothing; a new address allocates its entry.
/// </summary>
internal sealed class LocalityBasedLeastConnectionScheduler : IScheduler
{
    private readonly LocalityTable<Entry> _table;

    internal sealed class Entry : LocalityEntry
    {
        public Destination Destination = null!;
    }

    public LocalityBasedLeastConnectionScheduler(SchedulerOptions options) => _table = new LocalityTable<Entry>(options);

    private LocalityBasedLeastConnectionScheduler(LocalityTable<Entry> table) => _table = table;

    public string Name => "lblc";

    internal LocalityTable<Entry> Table => _table;

    public void OnAdded(DestinationSet set, Destination destination) { }

    public void OnRemoved(DestinationSet set, Destination destination, int index) { }

    public void OnUpdated(DestinationSet set, Destination destination) { }

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) =>
        new LocalityBasedLeastConnectionScheduler(_table.Clone(e => new Entry { LastUse = e.LastUse, Destination = map(e.Destination) }));

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        long now = request.Timestamp;
        _table.RunTimers(now);
        var items = set.Items;
        if (_table.TryGet(request.DestinationAddress, out var en))
        {
            en.LastUse = now;
            var cached = en.Destination;
            if (cached.Available && cached.Weight > 0 && !LocalityOverload.IsOverloaded(cached, items)) return cached;
        }

        var dest = WeightedLeastConnectionScheduler.Least(set);
        if (dest is null) return null;

        // ip_vs_lblc_new: a new entry starts with lastuse = now; an existing one only changes its destination
        if (en is not null) en.Destination = dest;
        else _table.Add(request.DestinationAddress, new Entry { Destination = dest, LastUse = now });
        return dest;
    }
}
