using System.Globalization;
using System.Net.Sockets;
using System.Text;
using LvsPs.Model.Failover;

namespace LvsPs.DirectorService.Failover;

/// <summary>
/// keepalived.conf for one node of a failover pair: one vrrp_instance and nothing else (no virtual_server: LvsPs keeps
/// IPVS and the health checks). Keywords from keepalived.conf(5) of keepalived 2.2.
/// </summary>
public static class KeepalivedConfig
{
    public static string InstanceName(FailoverSettings f) => "lvsps_" + f.VirtualRouterId.ToString(CultureInfo.InvariantCulture);

    public static string Render(FailoverSettings f, FailoverNode self, string notifyFifo)
    {
        var c = CultureInfo.InvariantCulture;
        bool v6 = f.VirtualAddresses[0].Address.AddressFamily == AddressFamily.InterNetworkV6;
        var s = new StringBuilder();
        s.Append("! Written by the LvsPs director service for node ").Append(self.Name).Append("; it is rewritten on every change.\n");
        s.Append("global_defs {\n");
        s.Append("    router_id ").Append(self.Name).Append('\n');
        // one line per transition into a FIFO the service reads: no process per event
        s.Append("    notify_fifo \"").Append(notifyFifo).Append("\"\n");
        s.Append("}\n\n");
        s.Append("vrrp_instance ").Append(InstanceName(f)).Append(" {\n");
        // every node starts as BACKUP and the election picks the master (required by nopreempt as well)
        s.Append("    state BACKUP\n");
        s.Append("    interface ").Append(f.Interface).Append('\n');
        s.Append("    virtual_router_id ").Append(f.VirtualRouterId.ToString(c)).Append('\n');
        s.Append("    priority ").Append(self.Priority.ToString(c)).Append('\n');
        s.Append("    advert_int ").Append(f.AdvertisementInterval.ToString(c)).Append('\n');
        // IPv6 needs VRRP version 3 (RFC 5798), which has no authentication
        if (v6) s.Append("    version 3\n");
        if (!f.Preempt) s.Append("    nopreempt\n");
        if (f.Password is { } password && !v6)
        {
            s.Append("    authentication {\n        auth_type PASS\n        auth_pass ").Append(password).Append("\n    }\n");
        }
        if (f.Unicast)
        {
            s.Append("    unicast_src_ip ").Append(self.Address).Append('\n');
            s.Append("    unicast_peer {\n");
            foreach (var peer in f.Peers(self)) s.Append("        ").Append(peer.Address).Append('\n');
            s.Append("    }\n");
        }
        s.Append("    virtual_ipaddress {\n");
        foreach (var a in f.VirtualAddresses) s.Append("        ").Append(a).Append(" dev ").Append(f.Interface).Append('\n');
        s.Append("    }\n");
        s.Append("}\n");
        return s.ToString();
    }

    /// <summary>
    /// One line keepalived wrote to the notify FIFO: TYPE "NAME" STATE PRIORITY, e.g. INSTANCE "lvsps_51" MASTER 150.
    /// Returns the state of an INSTANCE line of <paramref name="instance"/>, or null for any other line.
    /// </summary>
    public static string? ParseNotifyLine(string line, string instance)
    {
        if (line.Length > 512) return null;
        var parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || parts[0] != "INSTANCE") return null;
        if (parts[1].Trim('"') != instance) return null;
        return parts[2];
    }

    /// <summary>The role a keepalived state means; STOP (keepalived ending) and unknown states mean no part in the pair.</summary>
    public static FailoverRole? RoleOf(string state) => state switch
    {
        "MASTER" => FailoverRole.Master,
        "BACKUP" => FailoverRole.Backup,
        "FAULT" => FailoverRole.Fault,
        "STOP" => FailoverRole.Backup,
        _ => null,
    };
}
