using System.Globalization;
using System.Text;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.DirectorService.Metrics;

/// <summary>The failover pair's metrics: the role (one series per role, 1 for the current one), transitions, the sync daemons.</summary>
internal static class FailoverMetrics
{
    public static string Render(FailoverStatus status, IReadOnlyList<SyncDaemon> daemons)
    {
        var s = new StringBuilder();
        s.Append("# HELP lvsps_failover_role This director's failover role (1 for the current one): standalone, master, backup or fault.\n");
        s.Append("# TYPE lvsps_failover_role gauge\n");
        foreach (var role in Enum.GetValues<FailoverRole>())
        {
            s.Append("lvsps_failover_role{role=\"").Append(role.ToString().ToLowerInvariant()).Append("\"} ").Append(role == status.Role ? '1' : '0').Append('\n');
        }
        s.Append("# HELP lvsps_failover_transitions_total Failover role changes since the service started.\n");
        s.Append("# TYPE lvsps_failover_transitions_total counter\n");
        s.Append("lvsps_failover_transitions_total ").Append(status.Transitions.ToString(CultureInfo.InvariantCulture)).Append('\n');
        s.Append("# HELP lvsps_failover_last_transition_seconds Unix time of the last failover role change (0: none).\n");
        s.Append("# TYPE lvsps_failover_last_transition_seconds gauge\n");
        s.Append("lvsps_failover_last_transition_seconds ").Append((status.LastTransition?.Time.ToUnixTimeSeconds() ?? 0).ToString(CultureInfo.InvariantCulture)).Append('\n');
        s.Append("# HELP lvsps_failover_suspended 1 while the director is suspended (Suspend-LvsDirector).\n");
        s.Append("# TYPE lvsps_failover_suspended gauge\n");
        s.Append("lvsps_failover_suspended ").Append(status.Suspended ? '1' : '0').Append('\n');
        s.Append("# HELP lvsps_sync_daemon_running 1 while the IPVS connection sync daemon runs in this role.\n");
        s.Append("# TYPE lvsps_sync_daemon_running gauge\n");
        foreach (var role in Enum.GetValues<SyncDaemonRole>())
        {
            var d = daemons.FirstOrDefault(x => x.Role == role);
            s.Append("lvsps_sync_daemon_running{role=\"").Append(role.ToString().ToLowerInvariant()).Append("\",syncid=\"")
                .Append((d?.SyncId ?? 0).ToString(CultureInfo.InvariantCulture)).Append("\"} ").Append(d is null ? '0' : '1').Append('\n');
        }
        return s.ToString();
    }
}
