using System.Globalization;
using LvsPs.Configuration;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// What a state-changing cmdlet tells -WhatIf and -Confirm: what would change, from and to ("Weight 1 -> 0"), in the
/// words Import-LvsConfiguration's differences use (ReconcilePlanner's property comparisons).
/// </summary>
internal static class WhatIfText
{
    public const string None = "(none)";

    /// <summary>"Scheduler wlc -> rr, PersistenceTimeout 0 -> 60".</summary>
    public static string Changes(IEnumerable<(string Name, object? From, object? To)> differences) =>
        string.Join(", ", differences.Select(d => $"{d.Name} {Show(d.From)} -> {Show(d.To)}"));

    public static string ServiceChanges(VirtualServiceSettings from, VirtualServiceSettings to) =>
        Changes(ReconcilePlanner.ServiceDifferences(from, to));

    public static string RealServerChanges(RealServerSettings from, RealServerSettings to) =>
        Changes(ReconcilePlanner.RealServerDifferences(from, to));

    /// <summary>A real server in a phrase: "Masq, weight 1" (with its connections when it has any).</summary>
    public static string RealServer(RealServerSettings rs, int activeConnections = 0, int inactiveConnections = 0) =>
        $"{rs.Forwarding.ToIpvsadmName()}, weight {rs.Weight}" + Connections(activeConnections, inactiveConnections);

    /// <summary>A service in a phrase: "wlc, 2 real servers, 5 active connections".</summary>
    public static string Service(VirtualService s) =>
        $"{s.Scheduler}, {s.RealServers.Count} real server{(s.RealServers.Count == 1 ? "" : "s")}" + Connections(s.ActiveConnections, s.InactiveConnections);

    /// <summary>Counters in a phrase: "120 connections, 3400 packets in, 3300 packets out, 1 MB in, 9 MB out".</summary>
    public static string Counters(LvsStats s) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Connections} connections, {s.PacketsIn} packets in, {s.PacketsOut} packets out, {s.BytesIn} bytes in, {s.BytesOut} bytes out");

    private static string Connections(int active, int inactive) =>
        active + inactive == 0 ? string.Empty : $", {active} active and {inactive} inactive connections";

    private static string Show(object? value) => value switch
    {
        null => None,
        string { Length: 0 } => None,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? None,
    };
}
