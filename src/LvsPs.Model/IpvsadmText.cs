using System.Globalization;
using System.Text;

namespace LvsPs.Model;

/// <summary>
/// Renders services the way ipvsadm 1.31 lists them with -n (ipvsadm.c print_title / print_service_entry): the plain
/// listing, --thresholds, --persistent-conn, --stats and --rate. Counters are abbreviated with K/M/G/T as ipvsadm does
/// unless exact (--exact) is asked for (ipvsadm.c print_largenum).
/// </summary>
public static class IpvsadmText
{
    public const string ListTitle =
        "Prot LocalAddress:Port Scheduler Flags\n" +
        "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn";

    /// <summary>ipvsadm -L --thresholds (print_title: "%-33s %-10s %-10s %-10s %-10s").</summary>
    public static readonly string ThresholdsTitle =
        string.Format(CultureInfo.InvariantCulture, "{0,-33} {1,-10} {2,-10} {3,-10} {4,-10}", "Prot LocalAddress:Port", "Uthreshold", "Lthreshold", "ActiveConn", "InActConn").TrimEnd() +
        "\n  -> RemoteAddress:Port";

    /// <summary>ipvsadm -L --persistent-conn (print_title: "%-33s %-9s %-11s %-10s %-10s").</summary>
    public static readonly string PersistentConnTitle =
        string.Format(CultureInfo.InvariantCulture, "{0,-33} {1,-9} {2,-11} {3,-10} {4,-10}", "Prot LocalAddress:Port", "Weight", "PersistConn", "ActiveConn", "InActConn").TrimEnd() +
        "\n  -> RemoteAddress:Port";

    public static readonly string StatsTitle =
        string.Format(CultureInfo.InvariantCulture, "{0,-33} {1,8} {2,8} {3,8} {4,8} {5,8}\n  -> RemoteAddress:Port",
            "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");

    public static readonly string RateTitle =
        string.Format(CultureInfo.InvariantCulture, "{0,-33} {1,8} {2,8} {3,8} {4,8} {5,8}\n  -> RemoteAddress:Port",
            "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");

    /// <summary>"IP Virtual Server version 1.2.1 (size=4096)".</summary>
    public static string Header(DirectorInfo info) =>
        string.Format(CultureInfo.InvariantCulture, "IP Virtual Server version {0} (size={1})", info.Version, info.ConnectionTableSize);

    /// <summary>The service's name column: "TCP  192.168.0.1:80", "UDP  [2001:db8::1]:53", "FWM  7", "FWM  7 IPv6".</summary>
    public static string ServiceName(VirtualServiceId id)
    {
        if (id.IsFirewallMark)
        {
            // ipvsadm prints the u32 mark with %d, so marks of 2^31 and above show negative ("FWM  -1 IPv6")
            return "FWM  " + unchecked((int)id.FirewallMark).ToString(CultureInfo.InvariantCulture) + (id.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? " IPv6" : string.Empty);
        }
        var proto = id.Protocol switch { LvsProtocol.Tcp => "TCP", LvsProtocol.Udp => "UDP", LvsProtocol.Sctp => "SCTP", _ => "?" };
        return proto + "  " + EndpointText.Format(id.Address!, id.Port);
    }

    /// <summary>The service line and its real server lines of the plain listing.</summary>
    public static string Listing(VirtualService service)
    {
        var sb = new StringBuilder();
        sb.Append(ServiceName(service.Settings.Id)).Append(' ').Append(service.Scheduler);
        var flags = FlagText(service.Settings);
        if (flags.Length > 0) sb.Append(' ').Append(flags);
        if (service.State == ServiceState.Waiting)
        {
            // not in ipvsadm: a configured service that does not run yet says so, and why (the whole text is in Reason)
            var why = service.Reason ?? "not running";
            sb.Append("\n  waiting: ").Append(why.Length <= 68 ? why : string.Concat(why.AsSpan(0, 65), "..."));
        }
        // what only the managed engine has follows the service line; a plain service lists exactly as ipvsadm does
        if (service.RealServersSee != ClientAddressView.Director) sb.Append("\n  real servers see: ").Append(SeesText(service.RealServersSee));
        if (service.AcceptProxy) sb.Append("\n  clients via: PROXY protocol from a load balancer in front");
        for (int i = 0; i < service.ContentRules.Count; i++) sb.Append("\n  rule ").Append(i + 1).Append(": ").Append(service.ContentRules[i]);
        if (service.ContentRules.Count > 0 || service.DefaultGroup is not null)
        {
            sb.Append("\n  default -> ").Append(LvsStatsRecord.GroupLabel(service.DefaultGroup));
        }
        bool grouped = service.RealServers.Any(r => r.Group is not null);
        var order = grouped ? service.RealServers.OrderBy(r => r.Group ?? "", StringComparer.Ordinal).ToList() : service.RealServers;
        string? current = null;
        foreach (var rs in order)
        {
            if (grouped && (current is null || current != (rs.Group ?? "")))
            {
                current = rs.Group ?? "";
                sb.Append("\n  group ").Append(LvsStatsRecord.GroupLabel(rs.Group)).Append(':');
            }
            sb.Append('\n').AppendFormat(CultureInfo.InvariantCulture, "  -> {0,-28} {1,-7} {2,-6} {3,-10} {4,-10}",
                rs.Id.ToString(), rs.Forwarding.ToIpvsadmName(), rs.EffectiveWeight, rs.ActiveConnections, rs.InactiveConnections);
            if (rs.SendProxy is not null && rs.Sees != service.RealServersSee) sb.Append(" sees ").Append(SeesText(rs.Sees));
        }
        return sb.ToString();
    }

    /// <summary>What a real server sees as the client's address, in words.</summary>
    public static string SeesText(ClientAddressView view) => view switch
    {
        ClientAddressView.ProxyV1 => "director address, client in PROXY v1 header",
        ClientAddressView.ProxyV2 => "director address, client in PROXY v2 header",
        ClientAddressView.Client => "client address (transparent)",
        _ => "director address",
    };

    /// <summary>The service line and its real server lines of ipvsadm -L --thresholds ("  -> %-28s %-10u %-10u %-10u %-10u").</summary>
    public static string ThresholdsListing(VirtualService service) =>
        ServiceLine(service) + string.Concat(service.RealServers.Select(rs => "\n" + string.Format(CultureInfo.InvariantCulture, "  -> {0,-28} {1,-10} {2,-10} {3,-10} {4,-10}",
            rs.Id, rs.UpperThreshold, rs.LowerThreshold, rs.ActiveConnections, rs.InactiveConnections).TrimEnd()));

    /// <summary>The service line and its real server lines of ipvsadm -L --persistent-conn ("  -> %-28s %-9u %-11u %-10u %-10u").</summary>
    public static string PersistentConnListing(VirtualService service) =>
        ServiceLine(service) + string.Concat(service.RealServers.Select(rs => "\n" + string.Format(CultureInfo.InvariantCulture, "  -> {0,-28} {1,-9} {2,-11} {3,-10} {4,-10}",
            rs.Id, rs.Weight, rs.PersistentConnections, rs.ActiveConnections, rs.InactiveConnections).TrimEnd()));

    private static string ServiceLine(VirtualService service)
    {
        var flags = FlagText(service.Settings);
        return ServiceName(service.Settings.Id) + " " + service.Scheduler + (flags.Length > 0 ? " " + flags : string.Empty);
    }

    /// <summary>The flags part of a service's line (as <see cref="FlagText(VirtualServiceSettings)"/>).</summary>
    public static string FlagText(VirtualService service) => FlagText(service.Settings);

    /// <summary>The flags part of a service line: persistent, mask, ops, scheduler flags, pe.</summary>
    public static string FlagText(VirtualServiceSettings s)
    {
        var parts = new List<string>();
        if (s.IsPersistent)
        {
            parts.Add("persistent " + s.PersistenceTimeout.ToString(CultureInfo.InvariantCulture));
            bool v6 = s.Id.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            uint mask = s.EffectiveNetmask;
            if (v6 ? mask != 128 : mask != uint.MaxValue) parts.Add("mask " + NetmaskText.Format(mask, s.Id.AddressFamily));
        }
        if (s.OnePacket) parts.Add("ops");
        if (s.SchedulerFlags != SchedulerFlags.None) parts.Add("(" + SchedulerFlagText(s.Scheduler, s.SchedulerFlags) + ")");
        if (!string.IsNullOrEmpty(s.PersistenceEngine)) parts.Add("pe " + s.PersistenceEngine);
        return string.Join(" ", parts);
    }

    /// <summary>Scheduler flags by the names ipvsadm uses for the scheduler (sh-fallback, mh-port, flag-3, ...).</summary>
    public static string SchedulerFlagText(string scheduler, SchedulerFlags flags)
    {
        var names = new List<string>();
        string prefix = scheduler is "sh" or "mh" ? scheduler : string.Empty;
        if (flags.HasFlag(SchedulerFlags.Fallback)) names.Add(prefix.Length > 0 ? prefix + "-fallback" : "flag-1");
        if (flags.HasFlag(SchedulerFlags.Port)) names.Add(prefix.Length > 0 ? prefix + "-port" : "flag-2");
        if (flags.HasFlag(SchedulerFlags.Flag3)) names.Add("flag-3");
        return string.Join(",", names);
    }

    /// <summary>One --stats --exact line (a service or a real server).</summary>
    public static string StatsLine(LvsStatsRecord r) => StatsLine(r, exact: true);

    /// <summary>One --stats line, abbreviated as ipvsadm does without --exact unless <paramref name="exact"/>.</summary>
    public static string StatsLine(LvsStatsRecord r, bool exact)
    {
        Func<ulong, string> n = exact ? Num : Abbreviated;
        return Name(r) + n(r.Connections) + n(r.PacketsIn) + n(r.PacketsOut) + n(r.BytesIn) + n(r.BytesOut);
    }

    /// <summary>One --rate --exact line (a service or a real server).</summary>
    public static string RateLine(LvsStatsRecord r) => RateLine(r, exact: true);

    /// <summary>One --rate line, abbreviated as ipvsadm does without --exact unless <paramref name="exact"/>.</summary>
    public static string RateLine(LvsStatsRecord r, bool exact)
    {
        Func<ulong, string> n = exact ? Num : Abbreviated;
        return Name(r) + n(r.ConnectionsPerSecond) + n(r.PacketsInPerSecond) + n(r.PacketsOutPerSecond) + n(r.BytesInPerSecond) + n(r.BytesOutPerSecond);
    }

    /// <summary>ipvsadm's print_largenum without FMT_EXACT: 9 columns, K/M/G/T from 100 million on.</summary>
    public static string Abbreviated(ulong value) => value switch
    {
        < 100_000_000UL => value.ToString(CultureInfo.InvariantCulture).PadLeft(9),
        < 1_000_000_000UL => (value / 1_000UL).ToString(CultureInfo.InvariantCulture).PadLeft(8) + "K",
        < 100_000_000_000UL => (value / 1_000_000UL).ToString(CultureInfo.InvariantCulture).PadLeft(8) + "M",
        < 100_000_000_000_000UL => (value / 1_000_000_000UL).ToString(CultureInfo.InvariantCulture).PadLeft(8) + "G",
        _ => (value / 1_000_000_000_000UL).ToString(CultureInfo.InvariantCulture).PadLeft(8) + "T",
    };

    private static string Name(LvsStatsRecord r) =>
        r.Scope == StatsScope.Group ? string.Format(CultureInfo.InvariantCulture, "{0,-33}", "  group " + LvsStatsRecord.GroupLabel(r.Group)) :
        r.RealServerId is { } rs ? string.Format(CultureInfo.InvariantCulture, "  -> {0,-28}", rs.ToString()) : string.Format(CultureInfo.InvariantCulture, "{0,-33}", ServiceName(r.ServiceId));

    /// <summary>ipvsadm's print_largenum with FMT_EXACT: at least 9 columns, one more than the digits.</summary>
    public static string Num(ulong value)
    {
        var digits = value.ToString(CultureInfo.InvariantCulture);
        return digits.PadLeft(digits.Length <= 8 ? 9 : digits.Length + 1);
    }

    /// <summary>The full plain listing of a director (ipvsadm -L -n).</summary>
    public static string FullListing(DirectorInfo info, IEnumerable<VirtualService> services)
    {
        var sb = new StringBuilder().Append(Header(info)).Append('\n').Append(ListTitle);
        foreach (var s in services) sb.Append('\n').Append(Listing(s));
        return sb.ToString();
    }

    /// <summary>The full --stats or --rate listing of a director.</summary>
    public static string FullStats(IEnumerable<VirtualService> services, bool rate)
    {
        var sb = new StringBuilder().Append(rate ? RateTitle : StatsTitle);
        foreach (var r in services.SelectMany(LvsStatsRecord.For)) sb.Append('\n').Append(rate ? RateLine(r) : StatsLine(r));
        return sb.ToString();
    }
}
