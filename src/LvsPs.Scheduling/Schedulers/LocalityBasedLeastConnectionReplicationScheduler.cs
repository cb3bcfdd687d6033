namespace LvsPs.Scheduling.Schedulers;

/// <summary>
/// lblcr, after net/netfilter/ipvs/ip_vs_lblcr.c: a cache from the packet's destination address to a set of
/// destinations (newest first, as list_add_rcu). A decision takes the set's weighted least-connection member
/// (ip_vs_dest_set_min: available, not overloaded, weight &gt; 0); when the set has more than one member and was last
/// modified more than the expiration ago, its weighted most-loaded member (ip_vs_dest_set_max) is dropped, even if it
/// is the one just picked. If the pick is missing or overloaded in lblc's sense, wlc's pick over the whole service is
/// taken and added to the set (if not already there). Stale entries go by the kernel's timer rules, run lazily.
/// </summary>
internal sealed class LocalityBasedLeastConnectionReplicationScheduler : IScheduler
{
    private readonly LocalityTable<Entry> _table;

    internal sealed class Entry : LocalityEntry
    {
        /// <summary>The replica set, head first.</summary>
        public readonly List<Destination> Set = new(2);

        /// <summary>ip_vs_dest_set.lastmod.</summary>
        public long LastMod;

        /// <summary>ip_vs_dest_set_insert: at the head, unless (with check) already present; touches lastmod.</summary>
        public void Insert(Destination dest, bool check, long now)
        {
            if (check && Set.Contains(dest)) return;
            Set.Insert(0, dest);
            LastMod = now;
        }
    }

    public LocalityBasedLeastConnectionReplicationScheduler(SchedulerOptions options) => _table = new LocalityTable<Entry>(options);

    private LocalityBasedLeastConnectionReplicationScheduler(LocalityTable<Entry> table) => _table = table;

    public string Name => "lblcr";

    internal LocalityTable<Entry> Table => _table;

    public void OnAdded(DestinationSet set, Destination destination) { }

    public void OnRemoved(DestinationSet set, Destination destination, int index) { }

    public void OnUpdated(DestinationSet set, Destination destination) { }

    public IScheduler Clone(DestinationSet clone, Func<Destination, Destination> map) =>
        new LocalityBasedLeastConnectionReplicationScheduler(_table.Clone(e =>
        {
            var copy = new Entry { LastUse = e.LastUse, LastMod = e.LastMod };
            foreach (var d in e.Set) copy.Set.Add(map(d));
            return copy;
        }));

    public Destination? Schedule(DestinationSet set, in SchedulingRequest request)
    {
        long now = request.Timestamp;
        _table.RunTimers(now);
        var items = set.Items;
        Destination? dest;
        if (_table.TryGet(request.DestinationAddress, out var en))
        {
            en.LastUse = now;
            dest = SetMin(en.Set);

            // more than one member and not modified for the expiration: drop the most loaded (time_after is strict)
            if (en.Set.Count > 1 && now - (en.LastMod + _table.Expiration) > 0)
            {
                var m = SetMax(en.Set);
                if (m is not null)
                {
                    en.Set.Remove(m);
                    en.LastMod = now;
                }
            }

            if (dest is not null && !LocalityOverload.IsOverloaded(dest, items)) return dest;

            dest = WeightedLeastConnectionScheduler.Least(set);
            if (dest is null) return null;
            en.Insert(dest, check: true, now);
            return dest;
        }

        dest = WeightedLeastConnectionScheduler.Least(set);
        if (dest is null) return null;
        var created = new Entry { LastUse = now };
        created.Insert(dest, check: false, now);
        _table.Add(request.DestinationAddress, created);
        return dest;
    }

    /// <summary>ip_vs_dest_set_min.</summary>
    private static Destination? SetMin(List<Destination> set)
    {
        int i = 0;
        Destination? least = null;
        long loh = 0;
        for (; i < set.Count; i++)
        {
            var d = set[i];
            if (d.Overloaded) continue;
            if (d.Weight > 0 && d.Available)
            {
                least = d;
                loh = d.ConnectionOverhead;
                break;
            }
        }
        if (least is null) return null;
        for (i++; i < set.Count; i++)
        {
            var d = set[i];
            if (d.Overloaded) continue;
            long doh = d.ConnectionOverhead;
            if (loh * d.Weight > doh * least.Weight && d.Available)
            {
                least = d;
                loh = doh;
            }
        }
        return least;
    }

    /// <summary>ip_vs_dest_set_max.</summary>
    private static Destination? SetMax(List<Destination> set)
    {
        int i = 0;
        Destination? most = null;
        long moh = 0;
        for (; i < set.Count; i++)
        {
            var d = set[i];
            if (d.Weight > 0)
            {
                most = d;
                moh = d.ConnectionOverhead;
                break;
            }
        }
        if (most is null) return null;
        for (i++; i < set.Count; i++)
        {
            var d = set[i];
            long doh = d.ConnectionOverhead;
            if (moh * d.Weight < doh * most.Weight && d.Weight > 0)
            {
                most = d;
                moh = doh;
            }
        }
        return most;
    }
}
