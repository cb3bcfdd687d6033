namespace LvsPs.Model;

/// <summary>Whether a stats row is a virtual service's total or one real server's share.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum StatsScope : long
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
        ServiceId = virtualService;
        RealServerId = realServer;
        Scope = realServer is null ? StatsScope.VirtualService : StatsScope.RealServer;
        Stats = stats;
    }

    /// <summary>A group's row: the sum of its real servers' counters (<paramref name="group"/> "" for those without one).</summary>
    private LvsStatsRecord(VirtualServiceId virtualService, LvsStats stats, string group)
    {
        ServiceId = virtualService;
        Group = group;
        Scope = StatsScope.Group;
        Stats = stats;
    }

    public StatsScope Scope { get; }

    /// <summary>The content-routing group: of a group's row, or of the real server of a real server's row (null: none).</summary>
    public string? Group { get; private init; }

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

    /// <summary>
    /// The rows for a service: its total first, then each real server in the director's order; a service whose real
    /// servers are in content-routing groups has each group's sum before the group's real servers.
    /// </summary>
    public static IEnumerable<LvsStatsRecord> For(VirtualService service)
    {
        yield return new LvsStatsRecord(service.Settings.Id, null, service.Stats);
        if (!service.RealServers.Any(r => r.Group is not null))
        {
            foreach (var rs in service.RealServers) yield return new LvsStatsRecord(service.Settings.Id, rs.Settings.Id, rs.Stats);
            yield break;
        }
        foreach (var group in service.RealServers.GroupBy(r => r.Group ?? "").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            yield return new LvsStatsRecord(service.Settings.Id, group.Aggregate(LvsStats.Zero, (sum, r) => sum + r.Stats), group.Key);
            foreach (var rs in group) yield return new LvsStatsRecord(service.Settings.Id, rs.Settings.Id, rs.Stats) { Group = rs.Group };
        }
    }

    public override string ToString() =>
        RealServerId is { } rs ? $"{ServiceId} -> {rs}" : Scope == StatsScope.Group ? $"{ServiceId} group {GroupLabel(Group)}" : ServiceId.ToString();

    /// <summary>How a group is named in listings: its name, or "(none)" for the real servers without one.</summary>
    public static string GroupLabel(string? group) => string.IsNullOrEmpty(group) ? "(none)" : group;
}
