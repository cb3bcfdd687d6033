using LvsPs.Model;
using LvsPs.Scheduling.Counters;

namespace LvsPs.Scheduling;

/// <summary>
/// A real server as schedulers see it (the kernel's struct ip_vs_dest): weight, last non-zero weight, thresholds,
/// connection counters and the overload flag. Counters change through <see cref="BindConnection"/>,
/// <see cref="SetConnectionActive"/> and <see cref="UnbindConnection"/>, which apply the kernel's threshold rules.
/// </summary>
public sealed class Destination
{
    private int _weight;
    private int _lastWeight;
    private int _persistent;
    private volatile bool _overloaded;
    private volatile bool _available = true;
    private readonly Lock _flagGate = new();

    /// <summary>The clock of the set that removed this destination (null while it is in a set): see <see cref="IdleSince"/>.</summary>
    private ISchedulingClock? _trashClock;
    private long _idleSince = NotIdle;
    private const long NotIdle = long.MinValue;

    /// <summary>
    /// Where the active/inactive counters and the scan's copy of weight and flags live: a slot of the service's
    /// <see cref="CounterBlock"/>, or a block of its own outside a set. Replaced (never changed) when the block moves.
    /// </summary>
    private CounterSlot _slot;

    public Destination(RealServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Id = settings.Id;
        Address = NetAddress.FromIPAddress(settings.Id.Address);
        Settings = settings;
        _weight = settings.Weight;
        _lastWeight = settings.Weight;
        _slot = CounterBlock.Single(this, settings.Weight, 0);
    }

    public RealServerId Id { get; }

    public NetAddress Address { get; }

    public ushort Port => Id.Port;

    /// <summary>The settings this destination was last given.</summary>
    public RealServerSettings Settings { get; private set; }

    public int Weight => Volatile.Read(ref _weight);

    /// <summary>The latest non-zero weight (ip_vs_dest.last_weight), which mh builds its table from.</summary>
    public int LastWeight => Volatile.Read(ref _lastWeight);

    public uint UpperThreshold => Settings.UpperThreshold;

    public uint LowerThreshold => Settings.LowerThreshold;

    public int ActiveConnections
    {
        get
        {
            var s = Volatile.Read(ref _slot);
            return Volatile.Read(ref s.Block.Active[s.Index]);
        }
    }

    public int InactiveConnections
    {
        get
        {
            var s = Volatile.Read(ref _slot);
            return Volatile.Read(ref s.Block.Inactive[s.Index]);
        }
    }

    /// <summary>Persistence templates bound to this destination.</summary>
    public int PersistentConnections => Volatile.Read(ref _persistent);

    /// <summary>IP_VS_DEST_F_OVERLOAD: set and cleared by the thresholds.</summary>
    public bool Overloaded => _overloaded;

    /// <summary>IP_VS_DEST_F_AVAILABLE: false once the destination is removed from its service.</summary>
    public bool Available => _available;

    /// <summary>
    /// For a removed destination, when its last connection or persistence template let go of it (in the removing
    /// set's clock ticks); null while it is in a set or still referred to. The trash frees it a period after this.
    /// </summary>
    public long? IdleSince
    {
        get
        {
            long idle = Volatile.Read(ref _idleSince);
            return idle == NotIdle ? null : idle;
        }
    }

    /// <summary>Whatever the engine hangs on a destination (its endpoint, its counters).</summary>
    public object? Tag { get; set; }

    internal CounterSlot Slot => Volatile.Read(ref _slot);

    /// <summary>A detached copy with the same settings, weights, counters and flags (for previews).</summary>
    public Destination Clone()
    {
        var copy = new Destination(Settings)
        {
            _weight = Weight,
            _lastWeight = LastWeight,
            _persistent = PersistentConnections,
            _overloaded = _overloaded,
            _available = _available,
            Tag = Tag,
        };
        var slot = CounterBlock.Single(copy, copy._weight, _overloaded ? CounterBlock.OverloadedFlag : 0);
        slot.Block.Active[0] = ActiveConnections;
        slot.Block.Inactive[0] = InactiveConnections;
        copy._slot = slot;
        return copy;
    }

    /// <summary>Applies edited settings as __ip_vs_update_dest does (weight, last_weight, thresholds, overload reset).</summary>
    internal void Update(RealServerSettings settings, bool add)
    {
        // keep last_weight with the latest non-zero weight (ip_vs_ctl.c __ip_vs_update_dest)
        if (add || settings.Weight != 0) Volatile.Write(ref _lastWeight, settings.Weight);
        Volatile.Write(ref _weight, settings.Weight);
        var slot = Slot;
        slot.Block.Weight[slot.Index] = settings.Weight; // the set's lock is held: blocks only move under it
        if (settings.UpperThreshold == 0 || settings.UpperThreshold > Settings.UpperThreshold) SetOverloaded(false);
        Settings = settings;
        _trashClock = null;
        Volatile.Write(ref _idleSince, NotIdle);
        _available = true;
    }

    /// <summary>Marks the destination removed from its set (IP_VS_DEST_F_AVAILABLE cleared) and starts its idle time if nothing refers to it.</summary>
    internal void MarkUnavailable(ISchedulingClock clock)
    {
        _trashClock = clock;
        _available = false;
        NoteIdle();
    }

    /// <summary>A removed destination that nothing refers to any more starts its trash idle time (once).</summary>
    private void NoteIdle()
    {
        var clock = _trashClock;
        if (clock is null || TotalConnections != 0 || PersistentConnections != 0) return;
        Interlocked.CompareExchange(ref _idleSince, clock.Now, NotIdle);
    }

    /// <summary>
    /// Gives this destination a new slot: appended to <paramref name="block"/>, or a block of its own when it is
    /// null (a removed destination keeps counting the connections it still has). Called by <see cref="CounterBlock.Migrate"/>
    /// and <see cref="DestinationSet"/> under the set's lock; the overload flag is copied under its own gate so that a
    /// concurrent change of it cannot be lost.
    /// </summary>
    internal CounterSlot MoveTo(CounterBlock? block, int weight, bool dead)
    {
        lock (_flagGate)
        {
            int flags = (_overloaded ? CounterBlock.OverloadedFlag : 0) | (dead ? CounterBlock.DeadFlag : 0);
            var slot = block is null ? CounterBlock.Single(this, weight, flags) : block.Append(this, weight, flags);
            Volatile.Write(ref _slot, slot);
            return slot;
        }
    }

    /// <summary>Moves this destination, with its counters, into a slot appended to <paramref name="block"/>.</summary>
    internal CounterSlot Adopt(CounterBlock block)
    {
        var old = Slot;
        var slot = MoveTo(block, Weight, dead: false);
        old.Block.Retire();
        old.Block.Carry(old.Index, slot);
        return slot;
    }

    /// <summary>Changes the overload flag and its copy in the current slot together (transitions are rare).</summary>
    private void SetOverloaded(bool value)
    {
        if (_overloaded == value) return;
        lock (_flagGate)
        {
            if (_overloaded == value) return;
            _overloaded = value;
            var s = Volatile.Read(ref _slot);
            if (value) Interlocked.Or(ref s.Block.Flags[s.Index], CounterBlock.OverloadedFlag);
            else Interlocked.And(ref s.Block.Flags[s.Index], ~CounterBlock.OverloadedFlag);
        }
    }

    /// <summary>Adds to the active or inactive counter; an update that landed in a retired block is carried forward.</summary>
    private void AddConnections(bool active, int delta)
    {
        var s = Volatile.Read(ref _slot);
        Interlocked.Add(ref Counter(s, active), delta);
        while (s.Block.Retired)
        {
            var current = Volatile.Read(ref _slot);
            CounterBlock.Sweep(ref Counter(s, active), ref Counter(current, active));
            s = current;
        }
    }

    private static ref int Counter(CounterSlot s, bool active) => ref (active ? s.Block.Active : s.Block.Inactive)[s.Index];

    private int TotalConnections => ActiveConnections + InactiveConnections;

    /// <summary>
    /// Counts a new connection (ip_vs_conn.c ip_vs_bind_dest): a template counts as persistent, others as active or
    /// inactive; reaching the upper threshold sets the overload flag.
    /// </summary>
    public void BindConnection(bool active, bool template = false)
    {
        if (template)
        {
            Interlocked.Increment(ref _persistent);
        }
        else
        {
            AddConnections(active, 1);
        }
        uint upper = Settings.UpperThreshold;
        if (upper != 0 && TotalConnections >= upper) SetOverloaded(true);
    }

    /// <summary>Moves a connection between active and inactive (the protocol state machine's counter update).</summary>
    public void SetConnectionActive(bool active)
    {
        AddConnections(!active, -1);
        AddConnections(active, 1);
    }

    /// <summary>
    /// Releases a connection (ip_vs_conn.c ip_vs_unbind_dest) and clears the overload flag by the kernel's rule:
    /// below the lower threshold, or with only an upper one, below three quarters of it.
    /// </summary>
    public void UnbindConnection(bool active, bool template = false)
    {
        if (template)
        {
            Interlocked.Decrement(ref _persistent);
        }
        else
        {
            AddConnections(active, -1);
        }
        var settings = Settings;
        if (settings.LowerThreshold != 0)
        {
            if (TotalConnections < settings.LowerThreshold) SetOverloaded(false);
        }
        else if (settings.UpperThreshold != 0)
        {
            if ((long)TotalConnections * 4 < (long)settings.UpperThreshold * 3) SetOverloaded(false);
        }
        else
        {
            SetOverloaded(false);
        }
        if (!_available) NoteIdle();
    }

    /// <summary>ip_vs_dest_conn_overhead: active connections weigh 256 times an inactive one (int arithmetic, as the kernel's).</summary>
    public int ConnectionOverhead => unchecked((ActiveConnections << 8) + InactiveConnections);

    public override string ToString() => Id.ToString();
}
