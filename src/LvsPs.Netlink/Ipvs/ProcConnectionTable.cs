using System.Globalization;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Netlink.Ipvs;

/// <summary>
/// Parses /proc/net/ip_vs_conn, the kernel's connection table (there is no netlink command for it). ip_vs_conn.c
/// ip_vs_conn_seq_show writes a header line, then per entry: protocol name, client, virtual and destination address and
/// port (IPv4 as %08X, IPv6 as %pI6, ports as %04X), state name (%-11s), seconds to expiry, and optionally the
/// persistence engine's name and data. Persistence templates have a state of their own, NONE or ASSURED
/// (ip_vs_ctpl_state_name_table in ip_vs_proto.c; a template that controlled a completed connection is ASSURED).
/// </summary>
public static class ProcConnectionTable
{
    public const string Path = "/proc/net/ip_vs_conn";

    public static IReadOnlyList<LvsConnection> Parse(string text)
    {
        var list = new List<LvsConnection>();
        foreach (var raw in text.Split('\n'))
        {
            var f = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 9 || f[0] == "Pro") continue;
            var protocol = f[0] switch
            {
                "TCP" => LvsProtocol.Tcp,
                "UDP" => LvsProtocol.Udp,
                "SCTP" => LvsProtocol.Sctp,
                _ => LvsProtocol.None,
            };
            string state = f[7];
            list.Add(new LvsConnection
            {
                Protocol = protocol,
                ClientAddress = Address(f[1]).ToString(),
                ClientPort = Port(f[2]),
                VirtualAddress = Address(f[3]).ToString(),
                VirtualPort = Port(f[4]),
                DestinationAddress = Address(f[5]).ToString(),
                DestinationPort = Port(f[6]),
                State = state,
                ExpiresSeconds = uint.Parse(f[8], NumberStyles.None, CultureInfo.InvariantCulture),
                Active = state == "ESTABLISHED",
                Template = state is "NONE" or "ASSURED",
            });
        }
        return list;
    }

    private static IPAddress Address(string text)
    {
        if (text.Contains(':')) return IPAddress.Parse(text);
        uint v = uint.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return new IPAddress(new[] { (byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v });
    }

    private static ushort Port(string text) => ushort.Parse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
