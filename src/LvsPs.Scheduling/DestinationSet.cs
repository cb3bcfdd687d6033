using LvsPs.Model;

namespace LvsPs.Scheduling;

/// <summary>
/// One service's destinations in the kernel's order, with its scheduler. New destinations go to the head of the list
/// (list_add_rcu in ip_vs_ctl.c __ip_vs_update_dest), so iteration and listings run newest first, as ipvsadm -L shows.
/// Every operation takes the set's lock; <see cref="Items"/> is an immutable snapshot safe to read without it.
/// </summary>
public sealed class DestinationSet
{
    private readonly object _gate = new();
    private Destination[] _items = Array.Empty<Destination>();
    private IScheduler _scheduler;

    public DestinationSet(string schedulerName, ServiceFlags flags = ServiceFlags.None, SchedulerOptions? options = null)
    {
        Flags = flags;
        Options = options ?? SchedulerOptions.Default;
        _scheduler = SchedulerRegistry.Create(schedulerName, this);
    }

    private DestinationSet(ServiceFlags flags, SchedulerOptions options, IScheduler placeholder)
    {
        Flags = flags;
        Options = options;
        _scheduler = placeholder;
    }

    public SchedulerOptions Options { get; }

    /// <summary>The service flags (sh/mh read their Sched1/Sched2 bits).</summary>
    public ServiceFlags Flags { get; private set; }

    public IScheduler Scheduler => _scheduler;

    /// <summary>The destinations, newest first; a snapshot array that is replaced, never changed.</summary>
    public Destination[] Items => Volatile.Read(ref _items);

    public int Count => Items.Length;

    public Destination? Find(RealServerId id)
    {
        foreach (var d in Items)
        {
            if (d.Id == id) return d;
        }
        return null;
    }

    /// <summary>Inserts a destination at the head of the list.</summary>
    /// <param name="settings">The real server's settings.</param>
    /// <param name="initialize">Runs before the destination becomes visible to scheduling (to set <see cref="Destination.Tag"/>).</param>
    public Destination Add(RealServerSettings settings, Action<Destination>? initialize = null)
    {
        lock (_gate)
        {
            if (Find(settings.Id) is not null) throw new InvalidOperationException($"Destination {settings.Id} is already in the set.");
            var d = new Destination(settings);
            d.Update(settings, add: true);
            initialize?.Invoke(d);
            var next = new Destination[_items.Length + 1];
            next[0] = d;
            Array.Copy(_items, 0, next, 1, _items.Length);
            Volatile.Write(ref _items, next);
            _scheduler.OnAdded(this, d);
            return d;
        }
    }

    public void Update(Destination destination, RealServerSettings settings)
    {
        lock (_gate)
        {
            destination.Update(settings, add: false);
            _scheduler.OnUpdated(this, destination);
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
            Volatile.Write(ref _items, next);
            destination.MarkUnavailable();
            _scheduler.OnRemoved(this, destination, index);
        }
    }

    /// <summary>Replaces the scheduler (ipvsadm -E -s), which starts from a fresh state as the kernel's bind does.</summary>
    public void SetScheduler(string name)
    {
        lock (_gate)
        {
            _scheduler = SchedulerRegistry.Create(name, this);
        }
    }

    public void SetFlags(ServiceFlags flags)
    {
        lock (_gate)
        {
            Flags = flags;
            _scheduler.OnFlagsChanged(this);
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
            var copy = new DestinationSet(Flags, options ?? Options, _scheduler);
            var items = new Destination[_items.Length];
            for (int i = 0; i < items.Length; i++) items[i] = Map(_items[i]);
            copy._items = items;
            copy._scheduler = _scheduler.Clone(copy, Map);
            map = Map;
            return copy;
        }
    }

    /// <summary>Asks the scheduler for a destination for a new connection.</summary>
    public Destination? Schedule(in SchedulingRequest request)
    {
        var scheduler = Volatile.Read(ref _scheduler);
        if (scheduler.IsReadOnly) return scheduler.Schedule(this, request);
        lock (_gate)
        {
            return _scheduler.Schedule(this, request);
        }
    }
}
