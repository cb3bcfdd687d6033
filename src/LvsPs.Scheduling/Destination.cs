using LvsPs.Model;

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
    private int _active;
    private int _inactive;
    private int _persistent;
    private volatile bool _overloaded;
    private volatile bool _available = true;

    public Destination(RealServerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Id = settings.Id;
        Address = NetAddress.FromIPAddress(settings.Id.Address);
        Settings = settings;
        _weight = settings.Weight;
        _lastWeight = settings.Weight;
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

    public int ActiveConnections => Volatile.Read(ref _active);

    public int InactiveConnections => Volatile.Read(ref _inactive);

    /// <summary>Persistence templates bound to this destination.</summary>
    public int PersistentConnections => Volatile.Read(ref _persistent);

    /// <summary>IP_VS_DEST_F_OVERLOAD: set and cleared by the thresholds.</summary>
    public bool Overloaded => _overloaded;

    /// <summary>IP_VS_DEST_F_AVAILABLE: false once the destination is removed from its service.</summary>
    public bool Available => _available;

    /// <summary>Whatever the engine hangs on a destination (its endpoint, its counters).</summary>
    public object? Tag { get; set; }

    /// <summary>A detached copy with the same settings, weights, counters and flags (for previews).</summary>
    public Destination Clone()
    {
        var copy = new Destination(Settings)
        {
            _weight = Weight,
            _lastWeight = LastWeight,
            _active = ActiveConnections,
            _inactive = InactiveConnections,
            _persistent = PersistentConnections,
            _overloaded = _overloaded,
            _available = _available,
            Tag = Tag,
        };
        return copy;
    }

    /// <summary>Applies edited settings as __ip_vs_update_dest does (weight, last_weight, thresholds, overload reset).</summary>
    internal void Update(RealServerSettings settings, bool add)
    {
        // keep last_weight with the latest non-zero weight (ip_vs_ctl.c __ip_vs_update_dest)
        if (add || settings.Weight != 0) Volatile.Write(ref _lastWeight, settings.Weight);
        Volatile.Write(ref _weight, settings.Weight);
        if (settings.UpperThreshold == 0 || settings.UpperThreshold > Settings.UpperThreshold) _overloaded = false;
        Settings = settings;
        _available = true;
    }

    internal void MarkUnavailable() => _available = false;

    private int TotalConnections => Volatile.Read(ref _active) + Volatile.Read(ref _inactive);

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
        else if (active)
        {
            Interlocked.Increment(ref _active);
        }
        else
        {
            Interlocked.Increment(ref _inactive);
        }
        uint upper = Settings.UpperThreshold;
        if (upper != 0 && TotalConnections >= upper) _overloaded = true;
    }

    /// <summary>Moves a connection between active and inactive (the protocol state machine's counter update).</summary>
    public void SetConnectionActive(bool active)
    {
        if (active)
        {
            Interlocked.Decrement(ref _inactive);
            Interlocked.Increment(ref _active);
        }
        else
        {
            Interlocked.Decrement(ref _active);
            Interlocked.Increment(ref _inactive);
        }
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
        else if (active)
        {
            Interlocked.Decrement(ref _active);
        }
        else
        {
            Interlocked.Decrement(ref _inactive);
        }
        var settings = Settings;
        if (settings.LowerThreshold != 0)
        {
            if (TotalConnections < settings.LowerThreshold) _overloaded = false;
        }
        else if (settings.UpperThreshold != 0)
        {
            if ((long)TotalConnections * 4 < (long)settings.UpperThreshold * 3) _overloaded = false;
        }
        else
        {
            _overloaded = false;
        }
    }

    /// <summary>ip_vs_dest_conn_overhead: active connections weigh 256 times an inactive one.</summary>
    public int ConnectionOverhead => (ActiveConnections << 8) + InactiveConnections;

    public override string ToString() => Id.ToString();
}
