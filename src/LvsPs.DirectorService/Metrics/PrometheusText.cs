using System.Globalization;
using System.Text;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.DirectorService.Metrics;

/// <summary>
/// Renders a director's counters and health in the Prometheus text exposition format (version 0.0.4): counters end in
/// _total, byte counts in _bytes_total, every family has HELP and TYPE lines, label values are escaped.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(IReadOnlyList<VirtualService> services, IReadOnlyList<RealServerHealth> health)
    {
        var sb = new StringBuilder();
        void Family(string name, string type, string help, IEnumerable<(string Labels, double Value)> samples)
        {
            sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
            sb.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
            foreach (var (labels, value) in samples)
            {
                sb.Append(name).Append('{').Append(labels).Append("} ").Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        static string Svc(VirtualService s) => $"virtual_service=\"{Escape(s.Id.ToString())}\"";
        static string Rs(VirtualService s, RealServer r) => $"{Svc(s)},real_server=\"{Escape(r.Id.ToString())}\"";
        var servers = services.SelectMany(s => s.RealServers.Select(r => (Service: s, Server: r))).ToList();

        Family("lvsps_virtual_service_connections_total", "counter", "Connections scheduled to the virtual service.", services.Select(s => (Svc(s), (double)s.Stats.Connections)));
        Family("lvsps_virtual_service_in_packets_total", "counter", "Packets from clients to real servers.", services.Select(s => (Svc(s), (double)s.Stats.PacketsIn)));
        Family("lvsps_virtual_service_out_packets_total", "counter", "Packets from real servers to clients.", services.Select(s => (Svc(s), (double)s.Stats.PacketsOut)));
        Family("lvsps_virtual_service_in_bytes_total", "counter", "Bytes from clients to real servers.", services.Select(s => (Svc(s), (double)s.Stats.BytesIn)));
        Family("lvsps_virtual_service_out_bytes_total", "counter", "Bytes from real servers to clients.", services.Select(s => (Svc(s), (double)s.Stats.BytesOut)));
        Family("lvsps_real_server_connections_total", "counter", "Connections scheduled to the real server.", servers.Select(x => (Rs(x.Service, x.Server), (double)x.Server.Stats.Connections)));
        Family("lvsps_real_server_in_packets_total", "counter", "Packets from clients to the real server.", servers.Select(x => (Rs(x.Service, x.Server), (double)x.Server.Stats.PacketsIn)));
        Family("lvsps_real_server_out_packets_total", "counter", "Packets from the real server to clients.", servers.Select(x => (Rs(x.Service, x.Server), (double)x.Server.Stats.PacketsOut)));
        Family("lvsps_real_server_in_bytes_total", "counter", "Bytes from clients to the real server.", servers.Select(x => (Rs(x.Service, x.Server), (double)x.Server.Stats.BytesIn)));
        Family("lvsps_real_server_out_bytes_total", "counter", "Bytes from the real server to clients.", servers.Select(x => (Rs(x.Service, x.Server), (double)x.Server.Stats.BytesOut)));
        Family("lvsps_real_server_active_connections", "gauge", "Established connections (ipvsadm ActiveConn).", servers.Select(x => (Rs(x.Service, x.Server), (double)x.Server.ActiveConnections)));
        Family("lvsps_real_server_inactive_connections", "gauge", "Other connection entries (ipvsadm InActConn).", servers.Select(x => (Rs(x.Service, x.Server), (double)x.Server.InactiveConnections)));
        Family("lvsps_real_server_weight", "gauge", "The real server's weight in the director now (0 while quiesced).", servers.Select(x => (Rs(x.Service, x.Server), (double)x.Server.EffectiveWeight)));
        Family("lvsps_real_server_up", "gauge", "1 when the real server's health check last found it up (or it has not been checked yet), 0 when down.",
            health.Where(h => !h.SorryServer).Select(h => ($"virtual_service=\"{Escape(h.VirtualService.ToString())}\",real_server=\"{Escape(h.RealServer.ToString())}\"", h.State == HealthState.Down ? 0d : 1d)));
        return sb.ToString();
    }

    /// <summary>Escapes a label value: backslash, double quote and line feed.</summary>
    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");
}
