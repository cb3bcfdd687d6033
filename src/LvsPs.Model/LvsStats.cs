namespace LvsPs.Model;

/// <summary>
/// Counters as IPVS keeps them per service and per real server (struct ip_vs_kstats): totals since the last zero,
/// and the estimator's rates (struct ip_vs_estimator, read back as per-second values).
/// "In" is client to real server, "Out" is real server to client, as in ipvsadm --stats.
/// </summary>
public sealed record LvsStats
{
    public static readonly LvsStats Zero = new();

    public ulong Connections { get; init; }
    public ulong PacketsIn { get; init; }
    public ulong PacketsOut { get; init; }
    public ulong BytesIn { get; init; }
    public ulong BytesOut { get; init; }

    public ulong ConnectionsPerSecond { get; init; }
    public ulong PacketsInPerSecond { get; init; }
    public ulong PacketsOutPerSecond { get; init; }
    public ulong BytesInPerSecond { get; init; }
    public ulong BytesOutPerSecond { get; init; }

    /// <summary>The totals in a line, as a CSV cell or a list view shows a nested counter set.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Connections} conns, {PacketsIn} pkts/{BytesIn} B in, {PacketsOut} pkts/{BytesOut} B out; {ConnectionsPerSecond} cps");

    public static LvsStats operator +(LvsStats a, LvsStats b) => new()
    {
        Connections = a.Connections + b.Connections,
        PacketsIn = a.PacketsIn + b.PacketsIn,
        PacketsOut = a.PacketsOut + b.PacketsOut,
        BytesIn = a.BytesIn + b.BytesIn,
        BytesOut = a.BytesOut + b.BytesOut,
        ConnectionsPerSecond = a.ConnectionsPerSecond + b.ConnectionsPerSecond,
        PacketsInPerSecond = a.PacketsInPerSecond + b.PacketsInPerSecond,
        PacketsOutPerSecond = a.PacketsOutPerSecond + b.PacketsOutPerSecond,
        BytesInPerSecond = a.BytesInPerSecond + b.BytesInPerSecond,
        BytesOutPerSecond = a.BytesOutPerSecond + b.BytesOutPerSecond,
    };
}
