namespace LvsPs.Model;

/// <summary>Whether a stats row is a virtual service's total or one real server's share.</summary>
public enum StatsScope
{
    VirtualService,
    RealServer,

    /// <summary>The sum over one content-routing group's real servers.</summary>
    Group,
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

    /// <summary>A group's row: the sum of its real servers' counters (<paramref name="group"/> "" for those without one).</summary>
    private LvsStatsRecord(VirtualServiceId virtualService, LvsStats stats, string group)
    {
        VirtualService = virtualService;
        Group = group;
        Scope = StatsScope.Group;
        Stats = stats;
    }

    public StatsScope Scope { get; }

    /// <summary>The content-routing group: of a group's row, or of the real server of a real server's row (null: none).</summary>
    public string? Group { get; private init; }
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

    /// <summary>
    /// The rows for a service: its total first, then each real server in the director's order; a service whose real
    /// servers are in content-routing groups has each group's sum before the group's real servers.
    /// </summary>
    public static IEnumerable<LvsStatsRecord> For(VirtualService service)
    {
        yield return new LvsStatsRecord(service.Id, null, service.Stats);
        if (!service.RealServers.Any(r => r.Group is not null))
        {
            foreach (var rs in service.RealServers) yield return new LvsStatsRecord(service.Id, rs.Id, rs.Stats);
            yield break;
        }
        foreach (var group in service.RealServers.GroupBy(r => r.Group ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            yield return new LvsStatsRecord(service.Id, group.Aggregate(LvsStats.Zero, (sum, r) => sum + r.Stats), group.Key);
            foreach (var rs in group) yield return new LvsStatsRecord(service.Id, rs.Id, rs.Stats) { Group = rs.Group };
        }
    }

    public override string ToString() =>
        RealServer is { } rs ? $"{VirtualService} -> {rs}" : Scope == StatsScope.Group ? $"{VirtualService} group {GroupLabel(Group)}" : VirtualService.ToString();

    /// <summary>How a group is named in listings: its name, or "(none)" for the real servers without one.</summary>
    public static string GroupLabel(string? group) => string.IsNullOrEmpty(group) ? "(none)" : group;
}
