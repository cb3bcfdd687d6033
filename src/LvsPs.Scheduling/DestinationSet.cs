using LvsPs.Model;
using LvsPs.Scheduling.Counters;

namespace LvsPs.Scheduling;

/// <summary>
/// One service's destinations in the kernel's order, with its scheduler. New destinations go to the head of the list
/// (list_add_rcu in ip_vs_ctl.c __ip_vs_update_dest), so iteration and listings run newest first, as ipvsadm -L shows.
/// Changes are serialised by the set's lock and published under <see cref="SchedLock"/>, which stateful schedulers'
/// decisions take too; <see cref="Items"/> is an immutable snapshot and <see cref="Counters"/> a block whose slots
/// never move, both safe to read without either lock.
/// </summary>
public sealed class DestinationSet
{
    private const int InitialCapacity = 8;

    private readonly object _gate = new();
    private SchedLock _schedLock;
    private Destination[] _items = Array.Empty<Destination>();
    private CounterBlock _counters = new(InitialCapacity);
    private IScheduler _scheduler;
    private readonly DestinationTrash _trash;

    /// <summary>
    /// The scheduler's <see cref="IScheduler.IsReadOnly"/>, kept beside it so that a stateful scheduler's decision goes
    /// straight to the lock without an interface call (2-3 ns of rr's 4.4); a read-only one confirms it on the scheduler.
    /// </summary>
    private bool _readOnlyScheduler;

    public DestinationSet(string schedulerName, ServiceFlags flags = ServiceFlags.None, SchedulerOptions? options = null)
    {
        Flags = flags;
        Options = options ?? SchedulerOptions.Default;
        _trash = new DestinationTrash(Options.Clock);
        _scheduler = SchedulerRegistry.Create(schedulerName, this);
        _readOnlyScheduler = _scheduler.IsReadOnly;
    }

    private DestinationSet(ServiceFlags flags, SchedulerOptions options, IScheduler placeholder)
    {
        Flags = flags;
        Options = options;
        _trash = new DestinationTrash(options.Clock);
        _scheduler = placeholder;
    }

    public SchedulerOptions Options { get; }

    /// <summary>The service flags (sh/mh read their Sched1/Sched2 bits).</summary>
    public ServiceFlags Flags { get; private set; }

    public IScheduler Scheduler => _scheduler;

    /// <summary>The destinations, newest first; a snapshot array that is replaced, never changed.</summary>
    public Destination[] Items => Volatile.Read(ref _items);

    public int Count => Items.Length;

    /// <summary>The destinations' counters, weights and flags as compact arrays; the slots from the highest down are list order.</summary>
    internal CounterBlock Counters => Volatile.Read(ref _counters);

    public Destination? Find(RealServerId id)
    {
        foreach (var d in Items)
        {
            if (d.Id == id) return d;
        }
        return null;
    }

    /// <summary>Removed destinations that can still be taken back (the kernel's dest_trash).</summary>
    public int TrashCount
    {
        get
        {
            lock (_gate) return _trash.Count;
        }
    }

    /// <summary>
    /// Inserts a destination at the head of the list: the one removed earlier with the same id, with its counters and
    /// <see cref="Destination.Tag"/>, while it is still in the trash (ip_vs_add_dest takes it from ip_vs_trash_get_dest),
    /// otherwise a new one.
    /// </summary>
    /// <param name="settings">The real server's settings.</param>
    /// <param name="initialize">Runs before the destination becomes visible to scheduling (to set or renew <see cref="Destination.Tag"/>).</param>
    public Destination Add(RealServerSettings settings, Action<Destination>? initialize = null)
    {
        lock (_gate)
        {
            if (Find(settings.Id) is not null) throw new InvalidOperationException($"Destination {settings.Id} is already in the set.");
            var d = _trash.Take(settings.Id) ?? new Destination(settings);
            d.Update(settings, add: true); // IP_VS_DEST_F_AVAILABLE before the list insertion, as __ip_vs_update_dest
            initialize?.Invoke(d);
            var next = new Destination[_items.Length + 1];
            next[0] = d;
            Array.Copy(_items, 0, next, 1, _items.Length);
            using (SchedLock.Hold(ref _schedLock))
            {
                var counters = _counters;
                // a destination back from the trash may still own a dead slot of the current block: a compaction moves
                // it to a block of its own first, so that adopting it below retires that block and not this one
                if (counters.Count == counters.Capacity || d.Slot.Block == counters) counters = Compact(counters, _items.Length + 1);
                d.Adopt(counters);
                Volatile.Write(ref _items, next);
                _scheduler.OnAdded(this, d);
            }
            return d;
        }
    }

    public void Update(Destination destination, RealServerSettings settings)
    {
        lock (_gate)
        {
            using (SchedLock.Hold(ref _schedLock))
            {
                destination.Update(settings, add: false);
                _scheduler.OnUpdated(this, destination);
            }
        }
    }

    public void Remove(Destination destination)
    {
        lock (_gate)
        {
            int index = Array.IndexOf(_items, destination);
            if (index < 0) return;
            var next = new Destination[_items.Length - 1];
            Array.Copy(_items, 0, next, 0, index);
            Array.Copy(_items, index + 1, next, index, _items.Length - index - 1);
            using (SchedLock.Hold(ref _schedLock))
            {
                var slot = destination.Slot;
                _counters.MarkDead(slot.Index);
                Volatile.Write(ref _items, next);
                destination.MarkUnavailable(Options.Clock);
                _trash.Put(destination);
                _scheduler.OnRemoved(this, destination, index);
                if (_counters.DeadCount > 16 && _counters.DeadCount * 2 > _counters.Count) Compact(_counters, next.Length);
            }
        }
    }

    /// <summary>
    /// Moves the live slots to a new block with room for twice <paramref name="live"/> (dead ones to blocks of their own)
    /// and publishes it. Runs under both locks.
    /// </summary>
    private CounterBlock Compact(CounterBlock current, int live)
    {
        var next = new CounterBlock(Math.Max(InitialCapacity, live * 2));
        current.Migrate(next);
        Volatile.Write(ref _counters, next);
        return next;
    }

    /// <summary>Replaces the scheduler (ipvsadm -E -s), which starts from a fresh state as the kernel's bind does.</summary>
    public void SetScheduler(string name)
    {
        lock (_gate)
        {
            var scheduler = SchedulerRegistry.Create(name, this);
            using (SchedLock.Hold(ref _schedLock))
            {
                _scheduler = scheduler;
                _readOnlyScheduler = scheduler.IsReadOnly;
            }
        }
    }

    public void SetFlags(ServiceFlags flags)
    {
        lock (_gate)
        {
            using (SchedLock.Hold(ref _schedLock))
            {
                Flags = flags;
                _scheduler.OnFlagsChanged(this);
            }
        }
    }

    /// <summary>
    /// A deep copy (destinations with their counters, and the scheduler's state) that can be scheduled on without
    /// changing this set: what a scheduling preview runs on.
    /// </summary>
    /// <param name="options">Time and randomness for the copy; by default this set's.</param>
    public DestinationSet Clone(SchedulerOptions? options = null) => Clone(options, out _);

    /// <summary>As <see cref="Clone(SchedulerOptions?)"/>, also giving the map from this set's destinations to the copies.</summary>
    public DestinationSet Clone(SchedulerOptions? options, out Func<Destination, Destination> map)
    {
        lock (_gate)
        {
            var copies = new Dictionary<Destination, Destination>(ReferenceEqualityComparer.Instance);
            Destination Map(Destination d)
            {
                if (!copies.TryGetValue(d, out var copy)) copies[d] = copy = d.Clone();
                return copy;
            }
            using (SchedLock.Hold(ref _schedLock))
            {
                var copy = new DestinationSet(Flags, options ?? Options, _scheduler);
                var items = new Destination[_items.Length];
                for (int i = 0; i < items.Length; i++) items[i] = Map(_items[i]);
                copy._items = items;
                copy._counters = new CounterBlock(Math.Max(InitialCapacity, items.Length * 2));
                for (int i = items.Length - 1; i >= 0; i--) items[i].Adopt(copy._counters);
                copy._scheduler = _scheduler.Clone(copy, Map);
                copy._readOnlyScheduler = copy._scheduler.IsReadOnly;
                map = Map;
                return copy;
            }
        }
    }

    /// <summary>Asks the scheduler for a destination for a new connection.</summary>
    public Destination? Schedule(in SchedulingRequest request)
    {
        if (Volatile.Read(ref _readOnlyScheduler))
        {
            var scheduler = Volatile.Read(ref _scheduler);
            if (scheduler.IsReadOnly) return scheduler.Schedule(this, request); // confirmed: the flag and the scheduler change together
        }
        using (SchedLock.Hold(ref _schedLock))
        {
            return _scheduler.Schedule(this, request);
        }
    }
}
