using System.Net;
using System.Net.Sockets;
using LvsPs.Model.Settings;

namespace LvsPs.Model.Failover;

/// <summary>A BGP neighbor (the router) a director announces its VIPs to.</summary>
public sealed record BgpNeighbor
{
    public required IPAddress Address { get; init; }

    /// <summary>The neighbor's AS number.</summary>
    public uint As { get; init; }
}

/// <summary>One director of a scale-out group: its name, its BGP router id and (optionally) its own AS number.</summary>
public sealed record BgpNode
{
    public required string Name { get; init; }

    public required IPAddress RouterId { get; init; }

    /// <summary>The node's AS number; 0 takes the group's.</summary>
    public uint As { get; init; }
}

/// <summary>
/// Active/active scale-out: every director announces the addresses of its virtual services to the routers over BGP
/// (host routes, next hop self) while it has an available real server for them, so the routers spread flows over the
/// directors (ECMP). BIRD 2 is the BGP speaker; LvsPs writes its configuration and never speaks BGP itself.
/// What each setting means is written once, in <see cref="FailoverKeys"/>.
/// </summary>
public sealed record BgpSettings
{
    /// <summary>The directors' AS number (a node may override it).</summary>
    public uint As { get; init; }

    public IReadOnlyList<BgpNeighbor> Neighbors { get; init; } = Array.Empty<BgpNeighbor>();

    public IReadOnlyList<BgpNode> Nodes { get; init; } = Array.Empty<BgpNode>();

    /// <summary>The node named <paramref name="name"/>, or an error that names the nodes there are.</summary>
    public BgpNode Node(string name) =>
        Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal)) ?? throw LvsException.InvalidArgument("UnknownBgpNode",
            $"This director's node name '{FailoverAddress.Cut(name)}' is not one of the BGP nodes; allowed: {string.Join(", ", Nodes.Select(n => n.Name))} " +
            "(give the service --node NAME, or name the node after the host).", name);

    /// <summary>The AS number <paramref name="node"/> speaks as.</summary>
    public uint AsOf(BgpNode node) => node.As != 0 ? node.As : As;

    /// <summary>RFC 6793: four-octet AS numbers; 0 is reserved (RFC 7607). 23456 (AS_TRANS) in it is refused too.</summary>
    public static readonly ValueRange AsRange = new(1, uint.MaxValue);

    /// <summary>Checks every rule and returns this, or throws the first failure.</summary>
    public BgpSettings Validate()
    {
        static bool ValidAs(uint asn) => AsRange.Contains(asn) && asn != 23456;
        if (As != 0 && !ValidAs(As)) throw Bad("InvalidAs", $"AS number {As} is not valid; allowed: {AsRange} except 23456 (AS_TRANS).", As);
        if (Neighbors.Count == 0) throw Bad("MissingBgpNeighbor", "BGP needs at least one neighbor (neighbors: address, as).", null);
        var seen = new HashSet<IPAddress>();
        foreach (var n in Neighbors)
        {
            if (!Validation.IsUnicast(n.Address)) throw Bad("InvalidNeighborAddress", $"Neighbor address '{n.Address}' is not valid; allowed: a unicast IPv4 or IPv6 address.", n.Address);
            if (!seen.Add(n.Address)) throw Bad("DuplicateNeighbor", $"Neighbor {n.Address} appears twice; allowed: each neighbor once.", n.Address);
            if (!ValidAs(n.As)) throw Bad("InvalidAs", $"AS number {n.As} of neighbor {n.Address} is not valid; allowed: {AsRange} except 23456.", n.As);
        }
        if (Nodes.Count == 0) throw Bad("MissingBgpNode", "BGP needs its nodes (nodes: name, routerId, optionally as).", null);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var n in Nodes)
        {
            if (n.Name.Length is < 1 or > 63 || !n.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                throw Bad("InvalidNodeName", $"Node name '{FailoverAddress.Cut(n.Name)}' is not valid; allowed: 1..63 letters, digits, '.', '-' or '_'.", n.Name);
            }
            if (!names.Add(n.Name)) throw Bad("DuplicateNodeName", $"Node '{n.Name}' is described twice; allowed: each node once.", n.Name);
            // a BGP identifier is a 32-bit number written as an IPv4 address (RFC 6286)
            if (n.RouterId.AddressFamily != AddressFamily.InterNetwork || n.RouterId.Equals(IPAddress.Any))
            {
                throw Bad("InvalidRouterId", $"Router id '{n.RouterId}' of node '{n.Name}' is not valid; allowed: a non-zero IPv4 address.", n.RouterId);
            }
            if (n.As != 0 && !ValidAs(n.As)) throw Bad("InvalidAs", $"AS number {n.As} of node '{n.Name}' is not valid; allowed: {AsRange} except 23456.", n.As);
            if (AsOf(n) == 0) throw Bad("MissingAs", $"Node '{n.Name}' has no AS number; allowed: give 'as' for the group or for the node.", n.Name);
        }
        return this;
    }

    /// <summary>The settings in which <paramref name="want"/> differs from this, by document key, as text.</summary>
    public List<(string Key, string? From, string? To)> Differences(BgpSettings want)
    {
        var list = new List<(string, string?, string?)>();
        void Diff(string key, string from, string to)
        {
            if (from != to) list.Add((key, from, to));
        }
        Diff("as", As.ToString(System.Globalization.CultureInfo.InvariantCulture), want.As.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Diff("neighbors", string.Join(", ", Neighbors.Select(n => $"{n.Address} as {n.As}")), string.Join(", ", want.Neighbors.Select(n => $"{n.Address} as {n.As}")));
        Diff("nodes", string.Join(", ", Nodes.Select(n => $"{n.Name} {n.RouterId} as {n.As}")), string.Join(", ", want.Nodes.Select(n => $"{n.Name} {n.RouterId} as {n.As}")));
        return list;
    }

    private static LvsException Bad(string id, string message, object? target) => LvsException.InvalidArgument(id, message, target);
}
