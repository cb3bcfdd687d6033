namespace LvsPs.Scheduling.Persistence;

/// <summary>
/// A connection template (an ip_vs_conn with IP_VS_CONN_F_TEMPLATE): it ties a client network to a destination for
/// the persistence timeout, counts in the destination's persistent connections, and lives on while it controls
/// connections. Times are in <see cref="ISchedulingClock"/> ticks.
/// </summary>
public sealed class PersistenceTemplate
{
    internal PersistenceTemplate(PersistenceKey key, Destination destination, ushort destinationPort, long timeout)
    {
        Key = key;
        Destination = destination;
        DestinationPort = destinationPort;
        Timeout = timeout;
    }

    public PersistenceKey Key { get; }

    public Destination Destination { get; }

    /// <summary>The template's destination port (0 when the service keys without a port).</summary>
    public ushort DestinationPort { get; }

    /// <summary>The timer period: the persistence timeout, or 60 s once an expiry was put off (ip_vs_conn_expire's expire_later).</summary>
    public long Timeout { get; internal set; }

    /// <summary>When the template's timer fires next.</summary>
    public long ExpiresAt { get; internal set; }

    /// <summary>Connections created through it that are still alive (n_control).</summary>
    public int ControlledConnections => Volatile.Read(ref _controlled);

    /// <summary>Found unusable (its destination gone or, with expire_quiescent_template, at weight 0): no longer found, but counted until it expires.</summary>
    public bool Invalidated { get; internal set; }

    internal int _controlled;

    internal PersistenceTemplate Clone(Func<Destination, Destination> map) =>
        new(Key, map(Destination), DestinationPort, Timeout) { ExpiresAt = ExpiresAt, Invalidated = Invalidated, _controlled = _controlled };
}
