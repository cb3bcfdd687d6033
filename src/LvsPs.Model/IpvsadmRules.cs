using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LvsPs.Model;

/// <summary>
/// The rule format of <c>ipvsadm -S -n</c> / <c>ipvsadm-save -n</c>, which <c>ipvsadm -R</c> reads back: one
/// <c>-A</c> line per virtual service followed by one <c>-a</c> line per real server. <see cref="Format(IEnumerable{VirtualService})"/> writes
/// byte for byte what ipvsadm 1.31 writes (its order, its signed firewall marks, no thresholds);
/// <see cref="Parse"/> reads that and the long option names, into changes for any backend.
/// </summary>
public static class IpvsadmRules
{
    /// <summary>ipvsadm's persistence timeout when -p has no value (seen in ipvsadm 1.31 output: 360 s).</summary>
    public const uint DefaultPersistence = 360;

    /// <summary>The rules of a configuration (what Export-LvsConfiguration -Format Ipvsadm writes: the configured state).</summary>
    public static string Format(DirectorConfiguration configuration) =>
        Format(configuration.Services.Select(s => new VirtualService(s.Settings, s.RealServers.Select(r => new RealServer(s.Settings.Id, r)).ToList(), LvsStats.Zero)));

    /// <summary>The order ipvsadm -L and -S list services in (libipvs ipvs_cmp_services).</summary>
    public static IComparer<VirtualServiceId> ServiceOrder => ServiceComparer.Instance;

    /// <summary>The order ipvsadm -L and -S list a service's real servers in (libipvs ipvs_cmp_dests).</summary>
    public static IComparer<RealServerId> RealServerOrder => DestinationComparer.Instance;

    public static string Format(IEnumerable<VirtualService> services)
    {
        var sb = new StringBuilder();
        foreach (var s in services.OrderBy(s => s.Settings.Id, ServiceComparer.Instance))
        {
            var set = s.Settings;
            string name = ServiceName(s.Settings.Id);
            sb.Append("-A ").Append(name).Append(" -s ").Append(set.Scheduler);
            if (set.IsPersistent)
            {
                sb.Append(" -p ").Append(set.PersistenceTimeout.ToString(CultureInfo.InvariantCulture));
                bool v6 = s.Settings.Id.AddressFamily == AddressFamily.InterNetworkV6;
                if (v6 ? set.EffectiveNetmask != 128 : set.Netmask != uint.MaxValue)
                {
                    sb.Append(" -M ").Append(NetmaskText.Format(set.EffectiveNetmask, s.Settings.Id.AddressFamily));
                }
            }
            if (!string.IsNullOrEmpty(set.PersistenceEngine)) sb.Append(" --pe ").Append(set.PersistenceEngine);
            if (set.OnePacket) sb.Append(" -o");
            if (set.SchedulerFlags != SchedulerFlags.None) sb.Append(" -b ").Append(IpvsadmText.SchedulerFlagText(set.Scheduler, set.SchedulerFlags));
            sb.Append('\n');
            foreach (var rs in s.RealServers.OrderBy(r => r.Settings.Id, DestinationComparer.Instance))
            {
                sb.Append("-a ").Append(name).Append(" -r ").Append(rs.Id.ToString()).Append(' ').Append(rs.Forwarding switch
                {
                    ForwardingMethod.Masquerade => "-m",
                    ForwardingMethod.Tunnel => "-i",
                    _ => "-g",
                });
                sb.Append(" -w ").Append(rs.Weight.ToString(CultureInfo.InvariantCulture));
                // ipvsadm 1.31 (print_tunnel_rule) writes the tunnel type of every tunnel real server, ipip included
                if (rs.Forwarding == ForwardingMethod.Tunnel && rs.TunnelType == TunnelType.IpIp)
                {
                    sb.Append(" --tun-type ipip");
                }
                else if (rs.Forwarding == ForwardingMethod.Tunnel)
                {
                    sb.Append(" --tun-type ").Append(rs.TunnelType == TunnelType.Gue ? "gue" : "gre");
                    if (rs.TunnelType == TunnelType.Gue) sb.Append(" --tun-port ").Append(rs.TunnelPort.ToString(CultureInfo.InvariantCulture));
                    sb.Append(rs.TunnelFlags.HasFlag(TunnelFlags.RemoteChecksum) ? " --tun-remcsum" : rs.TunnelFlags.HasFlag(TunnelFlags.Checksum) ? " --tun-csum" : " --tun-nocsum");
                }
                sb.Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>"-t 10.0.0.1:80", "-u [2001:db8::1]:53", "--sctp-service ...", "-f 7", "-f 7 -6" (the mark as ipvsadm's %d prints it).</summary>
    public static string ServiceName(VirtualServiceId id)
    {
        if (id.IsFirewallMark)
        {
            return "-f " + unchecked((int)id.FirewallMark).ToString(CultureInfo.InvariantCulture) + (id.AddressFamily == AddressFamily.InterNetworkV6 ? " -6" : string.Empty);
        }
        string option = id.Protocol switch { LvsProtocol.Tcp => "-t", LvsProtocol.Udp => "-u", _ => "--sctp-service" };
        return option + " " + EndpointText.Format(id.Address!, id.Port);
    }

    /// <summary>Parses rules into changes, in order. Blank lines and # comments are skipped.</summary>
    public static IReadOnlyList<DirectorChange> Parse(string text)
    {
        var changes = new List<DirectorChange>();
        int lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            try
            {
                changes.Add(ParseLine(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
            }
            catch (LvsException e)
            {
                throw LvsException.InvalidArgument("InvalidIpvsadmRule", $"Line {lineNumber} '{ValueText.Cut(line)}': {e.Message}", line);
            }
        }
        return changes;
    }

    private static DirectorChange ParseLine(string[] t)
    {
        string? command = null, service = null, realServer = null;
        bool v6 = false;
        string scheduler = VirtualServiceSettings.DefaultScheduler;
        uint? persistence = null;
        string? netmask = null, pe = null, schedFlags = null;
        bool ops = false;
        var fwd = ForwardingMethod.DirectRoute; // ipvsadm's default for -a
        int weight = 1;
        uint upper = 0, lower = 0;
        var tunType = TunnelType.IpIp;
        ushort tunPort = 0;
        var tunFlags = TunnelFlags.None;
        string? serviceOption = null;
        for (int i = 0; i < t.Length; i++)
        {
            string o = t[i];
            string Next() => i + 1 < t.Length ? t[++i] : throw LvsException.InvalidArgument("MissingValue", $"option '{ValueText.Cut(o)}' needs a value", o);
            switch (o)
            {
                case "-A" or "--add-service": command = "A"; break;
                case "-a" or "--add-server": command = "a"; break;
                case "-t" or "--tcp-service" or "-u" or "--udp-service" or "--sctp-service" or "-f" or "--fwmark-service":
                    serviceOption = o; service = Next(); break;
                case "-6" or "--ipv6": v6 = true; break;
                case "-s" or "--scheduler": scheduler = Next(); break;
                case "-p" or "--persistent":
                    persistence = i + 1 < t.Length && !t[i + 1].StartsWith('-') ? UInt(Next(), o) : DefaultPersistence;
                    break;
                case "-M" or "--netmask": netmask = Next(); break;
                case "--pe": pe = Next(); break;
                case "-o" or "--ops": ops = true; break;
                case "-b" or "--sched-flags": schedFlags = Next(); break;
                case "-r" or "--real-server": realServer = Next(); break;
                case "-g" or "--gatewaying": fwd = ForwardingMethod.DirectRoute; break;
                case "-i" or "--ipip": fwd = ForwardingMethod.Tunnel; break;
                case "-m" or "--masquerading": fwd = ForwardingMethod.Masquerade; break;
                case "-w" or "--weight": weight = (int)UInt(Next(), o); break;
                case "-x" or "--u-threshold": upper = UInt(Next(), o); break;
                case "-y" or "--l-threshold": lower = UInt(Next(), o); break;
                case "--tun-type":
                    tunType = Next() switch
                    {
                        "ipip" => TunnelType.IpIp,
                        "gue" => TunnelType.Gue,
                        "gre" => TunnelType.Gre,
                        var x => throw LvsException.InvalidArgument("InvalidTunnelType", $"tunnel type '{ValueText.Cut(x)}' is not valid; allowed: ipip, gue, gre", x),
                    };
                    break;
                case "--tun-port": tunPort = (ushort)UInt(Next(), o, 65535); break;
                case "--tun-nocsum": tunFlags = TunnelFlags.None; break;
                case "--tun-csum": tunFlags = TunnelFlags.Checksum; break;
                case "--tun-remcsum": tunFlags = TunnelFlags.RemoteChecksum; break;
                default: throw LvsException.InvalidArgument("UnknownOption", $"option '{ValueText.Cut(o)}' is not one ipvsadm -S writes or -R reads", o);
            }
        }
        if (command is null || service is null) throw LvsException.InvalidArgument("MissingCommand", "a rule needs -A or -a and a service (-t, -u, --sctp-service or -f)", null);
        var id = ServiceId(serviceOption!, service, v6);
        if (command == "A")
        {
            var family = id.AddressFamily;
            var settings = new VirtualServiceSettings
            {
                Id = id,
                Scheduler = scheduler,
                PersistenceTimeout = persistence ?? 0,
                Netmask = netmask is null ? uint.MaxValue : NetmaskText.Parse(netmask, family),
                OnePacket = ops,
                SchedulerFlags = schedFlags is null ? SchedulerFlags.None : SchedulerFlagsFrom(schedFlags),
                PersistenceEngine = pe,
            };
            return new DirectorChange.AddService(settings.Validate());
        }
        if (realServer is null) throw LvsException.InvalidArgument("MissingRealServer", "-a needs -r ADDRESS[:PORT]", null);
        if (!EndpointText.TryParse(realServer, requirePort: false, out var address, out var port, out var error))
        {
            throw LvsException.InvalidArgument("InvalidRealServer", error!, realServer);
        }
        var rs = new RealServerSettings
        {
            Id = RealServerId.Create(address!, port ?? id.Port),
            Forwarding = fwd,
            Weight = weight,
            UpperThreshold = upper,
            LowerThreshold = lower,
            TunnelType = tunType,
            TunnelPort = tunPort,
            TunnelFlags = tunFlags,
        };
        return new DirectorChange.AddRealServer(id, rs.Validate());
    }

    private static VirtualServiceId ServiceId(string option, string value, bool v6)
    {
        if (option is "-f" or "--fwmark-service")
        {
            // ipvsadm prints marks above 2^31 as negative numbers (%d)
            uint mark = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var signed) && signed < 0
                ? unchecked((uint)signed) : UInt(value, option);
            return VirtualServiceId.ForFirewallMark(mark, v6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        }
        string prefix = option switch { "-t" or "--tcp-service" => "tcp", "-u" or "--udp-service" => "udp", _ => "sctp" };
        return VirtualServiceId.Parse(prefix + "/" + value);
    }

    private static SchedulerFlags SchedulerFlagsFrom(string text)
    {
        var flags = SchedulerFlags.None;
        foreach (var name in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            flags |= name switch
            {
                "flag-1" or "sh-fallback" or "mh-fallback" => SchedulerFlags.Fallback,
                "flag-2" or "sh-port" or "mh-port" => SchedulerFlags.Port,
                "flag-3" => SchedulerFlags.Flag3,
                _ => throw LvsException.InvalidArgument("InvalidSchedulerFlag", $"scheduler flag '{ValueText.Cut(name)}' is not valid; allowed: sh-fallback, sh-port, mh-fallback, mh-port, flag-1, flag-2, flag-3", name),
            };
        }
        return flags;
    }

    private static uint UInt(string text, string option, uint max = uint.MaxValue) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= max
            ? v
            : throw LvsException.InvalidArgument("InvalidNumber", $"'{ValueText.Cut(text)}' is not a valid value for {option}; allowed: 0..{max}", text);

    /// <summary>
    /// libipvs's ipvs_cmp_services: firewall mark, family, protocol, address (as host-order 32-bit words), port, each
    /// compared by C int subtraction — so differences of 2^31 or more wrap, as they do in ipvsadm.
    /// </summary>
    private sealed class ServiceComparer : IComparer<VirtualServiceId>
    {
        public static readonly ServiceComparer Instance = new();

        public int Compare(VirtualServiceId? x, VirtualServiceId? y)
        {
            int r = Sub(x!.FirewallMark, y!.FirewallMark);
            if (r != 0) return r;
            r = Af(x.AddressFamily) - Af(y.AddressFamily);
            if (r != 0) return r;
            r = (ushort)x.Protocol - (ushort)y.Protocol;
            if (r != 0) return r;
            if (x.Address is not null && y.Address is not null)
            {
                r = CompareWords(x.Address, y.Address);
                if (r != 0) return r;
            }
            return x.Port - y.Port;
        }
    }

    /// <summary>libipvs's ipvs_cmp_dests: address words, then port, by C int subtraction.</summary>
    private sealed class DestinationComparer : IComparer<RealServerId>
    {
        public static readonly DestinationComparer Instance = new();

        public int Compare(RealServerId x, RealServerId y)
        {
            if (x.AddressFamily != y.AddressFamily) return Af(x.AddressFamily) - Af(y.AddressFamily);
            int r = CompareWords(x.Address, y.Address);
            return r != 0 ? r : x.Port - y.Port;
        }
    }

    private static int Af(AddressFamily f) => f == AddressFamily.InterNetworkV6 ? 10 : 2;

    private static int Sub(uint a, uint b) => unchecked((int)(a - b));

    private static int CompareWords(IPAddress a, IPAddress b)
    {
        var x = a.GetAddressBytes();
        var y = b.GetAddressBytes();
        for (int i = 0; i + 4 <= Math.Min(x.Length, y.Length); i += 4)
        {
            int r = Sub(Word(x, i), Word(y, i));
            if (r != 0) return r;
        }
        return 0;
    }

    private static uint Word(byte[] b, int i) => (uint)(b[i] << 24 | b[i + 1] << 16 | b[i + 2] << 8 | b[i + 3]);
}
