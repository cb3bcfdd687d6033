namespace LvsPs.Model;

/// <summary>Whether a stats row is a virtual service's total or one real server's share.</summary>
public enum StatsScope
{
    VirtualService,
    RealServer,
}

/// <summary>One row of Get-LvsStats: a virtual service's counters, or one of its real servers' (ipvsadm --stats / --rate).</summary>
public sealed class LvsStatsRecord
{
    public LvsStatsRecord(VirtualServiceId virtualService, RealServerId? realServer, LvsStats stats)
    {
        VirtualService = virtualService;
        RealServer = realServer;
        Scope = realServer is null ? StatsScope.VirtualService : StatsScope.RealServer;
        Stats = stats;
    }

    public StatsScope Scope { get; }
    public VirtualServiceId VirtualService { get; }
    public RealServerId? RealServer { get; }
    public LvsStats Stats { get; }

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
        yield return new LvsStatsRecord(service.Id, null, service.Stats);
        foreach (var rs in service.RealServers) yield return new LvsStatsRecord(service.Id, rs.Id, rs.Stats);
    }

    public override string ToString() => RealServer is { } rs ? $"{VirtualService} -> {rs}" : VirtualService.ToString();
}
