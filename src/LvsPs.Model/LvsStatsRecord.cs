namespace LvsPs.Model;

/// <summary>Whether a stats row is a virtual service's total or one real server's share.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum StatsScope : long
{
    VirtualService,
    RealServer,
}

/// <summary>One row of Get-LvsStats: a virtual service's counters, or one of its real servers' (ipvsadm --stats / --rate).</summary>
public sealed class LvsStatsRecord
{
    public LvsStatsRecord(VirtualServiceId virtualService, RealServerId? realServer, LvsStats stats)
    {
        ServiceId = virtualService;
        RealServerId = realServer;
        Scope = realServer is null ? StatsScope.VirtualService : StatsScope.RealServer;
        Stats = stats;
    }

    public StatsScope Scope { get; }

    internal VirtualServiceId ServiceId { get; }
    internal RealServerId? RealServerId { get; }
    internal LvsStats Stats { get; }

    /// <summary>The virtual service's identity string, e.g. <c>tcp/192.168.0.1:80</c>.</summary>
    public string VirtualService => ServiceId.ToString();

    /// <summary>The real server's endpoint, e.g. <c>10.0.0.2:80</c>; null on a service's total row.</summary>
    public string? RealServer => RealServerId?.ToString();

    public ulong Connections => Stats.Connections;
    public ulong PacketsIn => Stats.PacketsIn;
    public ulong PacketsOut => Stats.PacketsOut;
    public ulong BytesIn => Stats.BytesIn;
    public ulong BytesOut => Stats.BytesOut;
    public ulong ConnectionsPerSecond => Stats.ConnectionsPerSecond;
    public ulong PacketsInPerSecond => Stats.PacketsInPerSecond;
    public ulong PacketsOutPerSecond => Stats.PacketsOutPerSecond;
    public ulong BytesInPerSecond => Stats.BytesInPerSecond;
    public ulong BytesOutPerSecond => Stats.BytesOutPerSecond;

    /// <summary>The rows for a service: its total first, then each real server in the director's order.</summary>
    public static IEnumerable<LvsStatsRecord> For(VirtualService service)
    {
        yield return new LvsStatsRecord(service.Settings.Id, null, service.Stats);
        foreach (var rs in service.RealServers) yield return new LvsStatsRecord(service.Settings.Id, rs.Settings.Id, rs.Stats);
    }

    public override string ToString() => RealServerId is { } rs ? $"{ServiceId} -> {rs}" : ServiceId.ToString();
}
