using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Model.Failover;

namespace LvsPs.DirectorService.Failover;

/// <summary>
/// bird.conf (BIRD 2) for one director of a scale-out group: a blackhole host route per address to announce in a
/// static protocol (never exported to the kernel: there is no kernel protocol), and one BGP session per neighbor
/// exporting those routes with next hop self. Syntax from the BIRD 2.0 user's guide.
/// </summary>
public static class BirdConfig
{
    public const string Static4 = "lvsps_vips4", Static6 = "lvsps_vips6";

    /// <summary>The name of the BGP protocol of the neighbor at <paramref name="index"/> (0-based) in the settings.</summary>
    public static string PeerName(int index) => "lvsps_peer" + (index + 1).ToString(CultureInfo.InvariantCulture);

    public static string Render(BgpSettings b, BgpNode self, IReadOnlyCollection<IPAddress> announce)
    {
        var c = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append("# Written by the LvsPs director service for node ").Append(self.Name).Append("; it is rewritten on every change.\n");
        s.Append("router id ").Append(self.RouterId).Append(";\n");
        // `show protocols` then tells the date and time a session entered its state (read by BirdProtocols)
        s.Append("timeformat protocol iso long;\n\n");
        s.Append("protocol device {\n}\n\n");
        s.Append("protocol static ").Append(Static4).Append(" {\n    ipv4;\n");
        foreach (var a in announce.Where(a => a.AddressFamily == AddressFamily.InterNetwork)) s.Append("    route ").Append(a).Append("/32 blackhole;\n");
        s.Append("}\n\n");
        s.Append("protocol static ").Append(Static6).Append(" {\n    ipv6;\n");
        foreach (var a in announce.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6)) s.Append("    route ").Append(a).Append("/128 blackhole;\n");
        s.Append("}\n");
        for (int i = 0; i < b.Neighbors.Count; i++)
        {
            var n = b.Neighbors[i];
            bool v6 = n.Address.AddressFamily == AddressFamily.InterNetworkV6;
            s.Append("\nprotocol bgp ").Append(PeerName(i)).Append(" {\n");
            s.Append("    local as ").Append(b.AsOf(self).ToString(c)).Append(";\n");
            s.Append("    neighbor ").Append(n.Address).Append(" as ").Append(n.As.ToString(c)).Append(";\n");
            // a director that dies without closing its session is dropped after 9 s, not the default 240 s
            s.Append("    hold time 9;\n    keepalive time 3;\n    connect retry time 5;\n");
            s.Append("    ").Append(v6 ? "ipv6" : "ipv4").Append(" {\n        import none;\n        export where proto = \"").Append(v6 ? Static6 : Static4)
                .Append("\";\n        next hop self;\n    };\n}\n");
        }
        return s.ToString();
    }
}
