using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;

namespace LvsPs.DirectorService.Status;

/// <summary>
/// What the status page shows, as its JSON endpoint (GET /status/state) answers: the director, every virtual service
/// with its scheduler and flags, and every real server with weight, health and counters: ipvsadm -L -n, --stats and
/// --rate in one object. Properties that are null are left out of the JSON, and the page shows nothing for them.
/// </summary>
internal sealed record StatusState(
    DateTimeOffset Time,
    DirectorStatus Director,
    ActionsStatus Actions,
    IReadOnlyList<ServiceStatus> Services,
    HistoryView? History)
{
    /// <summary>
    /// Reads the director now. <paramref name="failover"/> is its failover status (null without a failover driver);
    /// <paramref name="actions"/> says what the page may change and what it remembers.
    /// </summary>
    public static StatusState Capture(IDirectorBackend director, FailoverStatus? failover, StatusActions actions, HistoryView? history)
    {
        var info = director.GetInfo();
        var services = director.GetServices();
        var health = (director as IHealthMonitoring)?.GetHealth() ?? Array.Empty<RealServerHealth>();
        var byServer = health.Where(h => !h.SorryServer).ToDictionary(h => (h.VirtualService, h.RealServer));
        var checkedServices = health.Select(h => h.VirtualService).ToHashSet();
        return new StatusState(
            DateTimeOffset.UtcNow,
            new DirectorStatus(info.Kind.ToString(), info.Version, info.ConnectionTableSize, info.StartTime, info.ConnectionCount, RoleStatus.From(failover)),
            new ActionsStatus(actions.Enabled),
            services.Select(s => new ServiceStatus(
                s.Id.ToString(),
                IpvsadmText.ServiceName(s.Settings.Id),
                s.Scheduler,
                IpvsadmText.FlagText(s.Settings),
                s.ActiveConnections,
                s.InactiveConnections,
                Counters.From(s.Stats),
                checkedServices.Contains(s.Id),
                // issue #17 (fast path): which path relays the service's bytes goes here once the model reports it
                RelayPath: null,
                s.RealServers.Select(r => new RealServerStatus(
                    r.Id.ToString(),
                    r.Forwarding.ToIpvsadmName(),
                    r.Weight,
                    r.ActiveConnections,
                    r.InactiveConnections,
                    r.Overloaded,
                    Counters.From(r.Stats),
                    byServer.TryGetValue((s.Id, r.Id), out var h) ? HealthStatus.From(h) : null,
                    actions.RestoreWeight(s.Settings.Id, r.Settings.Id),
                    actions.IsDraining(s.Settings.Id, r.Settings.Id))).ToList())).ToList(),
            history);
    }
}

internal sealed record DirectorStatus(string Kind, string Version, int ConnectionTableSize, DateTimeOffset? StartTime, int Connections, RoleStatus? Role);

/// <summary>The director's part in a failover pair or BGP scale-out group (Get-LvsFailover); null when it serves alone.</summary>
internal sealed record RoleStatus(string Role, string? Node, IReadOnlyList<string> Peers, DateTimeOffset? Since, bool Suspended, IReadOnlyList<string> Announced, string? Problem)
{
    public static RoleStatus? From(FailoverStatus? f) =>
        f is null || (f.Role == FailoverRole.Standalone && f.Node is null && f.Problem is null)
            ? null
            : new RoleStatus(f.Role.ToString(), f.Node, f.Peers, f.LastTransition?.Time, f.Suspended, f.Announced, f.Problem);
}

/// <summary>Whether the page may change things (the token itself never leaves the service).</summary>
internal sealed record ActionsStatus(bool Enabled);

internal sealed record ServiceStatus(
    string Id,
    string Name,
    string Scheduler,
    string Flags,
    int ActiveConnections,
    int InactiveConnections,
    Counters Stats,
    bool HealthChecked,
    string? RelayPath,
    IReadOnlyList<RealServerStatus> RealServers);

internal sealed record RealServerStatus(
    string Id,
    string Forward,
    int Weight,
    int ActiveConnections,
    int InactiveConnections,
    bool Overloaded,
    Counters Stats,
    HealthStatus? Health,
    int? RestoreWeight,
    bool Draining);

/// <summary>ipvsadm --stats and --rate for one service or real server.</summary>
internal sealed record Counters(ulong Conns, ulong InPkts, ulong OutPkts, ulong InBytes, ulong OutBytes, ulong Cps, ulong InPps, ulong OutPps, ulong InBps, ulong OutBps)
{
    public static Counters From(LvsStats s) => new(s.Connections, s.PacketsIn, s.PacketsOut, s.BytesIn, s.BytesOut,
        s.ConnectionsPerSecond, s.PacketsInPerSecond, s.PacketsOutPerSecond, s.BytesInPerSecond, s.BytesOutPerSecond);
}

/// <summary>Get-LvsHealth for one real server, without what only the control socket's user may read.</summary>
internal sealed record HealthStatus(string State, string CheckType, string? LastResult, DateTimeOffset? LastCheck, DateTimeOffset? Since)
{
    public static HealthStatus From(RealServerHealth h) => new(h.State.ToString(), h.CheckType.ToString(), PublicResult(h), h.LastCheck, h.Since);

    /// <summary>
    /// A command check's result carries the last line of the command's output, which may say more than whoever reaches
    /// the page should read; the page says only whether it passed (Get-LvsHealth, over the control socket, has the rest).
    /// </summary>
    private static string? PublicResult(RealServerHealth h) => h.CheckType != HealthCheckType.Command || h.LastCheck is null
        ? h.LastResult
        : h.ConsecutiveFailures > 0 ? "the command failed" : "the command succeeded";
}
