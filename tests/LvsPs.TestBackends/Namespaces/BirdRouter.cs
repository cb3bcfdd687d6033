using System.Diagnostics;

namespace LvsPs.TestBackends;

/// <summary>A BGP neighbor of the test router: a director's name (the router's protocol name), its address and AS number.</summary>
public sealed record BirdPeer(string Name, string Address, uint As);

/// <summary>
/// The router of the scale-out tests: real BIRD 2 in a <see cref="NetLab"/> host, taking the directors' routes over BGP
/// and installing them in its kernel table with every path of a route (ECMP: `merge paths on`), so `ip route show VIP`
/// there lists one next hop per director that announces the VIP. Used by tests/LvsPs.Tests/Failover/ScaleOutTests.cs
/// and tests/Pester/Bgp.Tests.ps1.
/// </summary>
public static class BirdRouter
{
    /// <summary>Writes the router's bird.conf in <paramref name="folder"/> and starts BIRD in <paramref name="ns"/> (stopped when the lab is disposed).</summary>
    public static Process Start(NetLab lab, string ns, string folder, string routerId, uint localAs, Action<string>? log, params BirdPeer[] peers)
    {
        var name = Path.Combine(folder, "router-" + ns);
        var peerLines = string.Concat(peers.Select(p =>
            $"protocol bgp {p.Name} {{ local as {localAs}; neighbor {p.Address} as {p.As}; ipv4 {{ import all; export none; }}; }}\n"));
        File.WriteAllText(name + ".conf", $"router id {routerId};\nprotocol device {{ }}\nprotocol kernel {{ ipv4 {{ export all; }}; merge paths on; }}\n{peerLines}");
        return lab.Start(ns, log, "bird", "-f", "-c", name + ".conf", "-s", name + ".ctl", "-P", name + ".pid");
    }

    /// <summary>The next hops of <paramref name="address"/>'s route in <paramref name="ns"/>, sorted.</summary>
    public static string[] NextHops(NetLab lab, string ns, string address) => NextHopsOf(lab.In(ns, "ip", "route", "show", address));

    /// <summary>The next hops of a route as `ip route show` prints it: "via A" once, or one "nexthop via A" per path.</summary>
    public static string[] NextHopsOf(string route)
    {
        var words = route.Split((char[])[' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return words.Select((w, i) => (w, i)).Where(x => x.w == "via" && x.i + 1 < words.Length).Select(x => words[x.i + 1]).Order(StringComparer.Ordinal).ToArray();
    }
}
