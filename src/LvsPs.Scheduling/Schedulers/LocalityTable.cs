using LvsPs.Scheduling.Hashing;

namespace LvsPs.Scheduling.Schedulers;

/// <summary>An lblc/lblcr cache entry: what a destination address maps to, and when it was last used.</summary>
internal abstract class LocalityEntry
{
    public long LastUse;
}

/// <summary>
/// The cache of lblc and lblcr (struct ip_vs_lblc_table / ip_vs_lblcr_table), keyed by the packet's destination
/// address, with the kernel's garbage collection: a timer every CHECK_EXPIRE_INTERVAL (60 s) that, every 30th run
/// (COUNT_FOR_FULL_EXPIRATION), drops all entries unused for the expiration (24 h by default), and otherwise, only
/// while the table holds more than max_size (1024 * 16) entries, drops entries unused for ENTRY_TIMEOUT (6 min)
/// bucket by bucket from the rover until (entries - max_size) * 4 / 3 (at most max_size / 2) are gone.
/// Here the timer is driven by the injectable clock: <see cref="RunTimers"/> runs, at each decision, every firing that
/// fell due since the previous one, with the time it was due, so the result is the kernel's for the same times.
/// </summary>
internal sealed class LocalityTable<TEntry> where TEntry : LocalityEntry
{
    /// <summary>IP_VS_LBLC_TAB_BITS / IP_VS_LBLCR_TAB_BITS (default 10).</summary>
    public const int TableBits = 10;
    public const int TableSize = 1 << TableBits;
    public const int MaxSize = TableSize * 16;
    private const int CountForFullExpiration = 30;

    private readonly Dictionary<NetAddress, TEntry> _entries;
    private readonly long _checkInterval;
    private readonly long _entryTimeout;
    private readonly long _expiration;
    private long _nextCheck;
    private int _rover;
    private int _counter = 1;

    public LocalityTable(SchedulerOptions options)
    {
        long f = options.Clock.Frequency;
        _checkInterval = 60 * f;
        _entryTimeout = 6 * 60 * f;
        _expiration = (long)(options.LocalityExpiration.TotalSeconds * f);
        _nextCheck = options.Clock.Now + _checkInterval;
        _entries = new Dictionary<NetAddress, TEntry>();
    }

    private LocalityTable(LocalityTable<TEntry> from, Func<TEntry, TEntry> copy)
    {
        _checkInterval = from._checkInterval;
        _entryTimeout = from._entryTimeout;
        _expiration = from._expiration;
        _nextCheck = from._nextCheck;
        _rover = from._rover;
        _counter = from._counter;
        _entries = new Dictionary<NetAddress, TEntry>(from._entries.Count);
        foreach (var (key, entry) in from._entries) _entries[key] = copy(entry);
    }

    /// <summary>The configured expiration in clock ticks (lblcr also ages its replica sets by it).</summary>
    public long Expiration => _expiration;

    public int Count => _entries.Count;

    public IReadOnlyDictionary<NetAddress, TEntry> Entries => _entries;

    public LocalityTable<TEntry> Clone(Func<TEntry, TEntry> copy) => new(this, copy);

    public bool TryGet(in NetAddress address, out TEntry entry) => _entries.TryGetValue(address, out entry!);

    public void Add(in NetAddress address, TEntry entry) => _entries[address] = entry;

    /// <summary>Runs every garbage-collection timer firing due by <paramref name="now"/>.</summary>
    public void RunTimers(long now)
    {
        while (now - _nextCheck >= 0)
        {
            CheckExpire(_nextCheck);
            _nextCheck += _checkInterval;
        }
    }

    /// <summary>ip_vs_lblc_check_expire / ip_vs_lblcr_check_expire at time <paramref name="now"/>.</summary>
    private void CheckExpire(long now)
    {
        if (_counter % CountForFullExpiration == 0)
        {
            // ip_vs_lblc_full_check: every bucket once from rover + 1; the rover ends where it started
            RemoveWhere(e => now - (e.LastUse + _expiration) >= 0);
            _counter = 1;
            return;
        }
        if (_entries.Count <= MaxSize)
        {
            _counter++;
            return;
        }
        int goal = (_entries.Count - MaxSize) * 4 / 3;
        if (goal > MaxSize / 2) goal = MaxSize / 2;

        // stale entries grouped by bucket, visited from rover + 1; a bucket is always emptied as a whole
        var byBucket = new Dictionary<int, List<NetAddress>>();
        foreach (var (key, e) in _entries)
        {
            if (now - (e.LastUse + _entryTimeout) < 0) continue; // time_before(now, lastuse + ENTRY_TIMEOUT)
            int b = (int)Bucket(key);
            if (!byBucket.TryGetValue(b, out var list)) byBucket[b] = list = new List<NetAddress>();
            list.Add(key);
        }
        int j = _rover;
        for (int i = 0; i < TableSize; i++)
        {
            j = (j + 1) & (TableSize - 1);
            if (byBucket.TryGetValue(j, out var stale))
            {
                foreach (var key in stale) _entries.Remove(key);
                goal -= stale.Count;
            }
            if (goal <= 0) break;
        }
        _rover = j;
    }

    /// <summary>ip_vs_lblc_hashkey / ip_vs_lblcr_hashkey.</summary>
    internal static uint Bucket(in NetAddress address) => GoldenRatioHash.Hash32(address.Fold, TableBits);

    private void RemoveWhere(Func<TEntry, bool> stale)
    {
        List<NetAddress>? doomed = null;
        foreach (var (key, e) in _entries)
        {
            if (stale(e)) (doomed ??= new List<NetAddress>()).Add(key);
        }
        if (doomed is null) return;
        foreach (var key in doomed) _entries.Remove(key);
    }
}
