using System.Globalization;
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

    /// <summary>"10.0.0.1 as 65000": the text <see cref="Parse"/> reads back (a CSV cell, a cmdlet argument).</summary>
    public override string ToString() => $"{Address} as {As.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads "ADDRESS as AS" (the words as <see cref="ToString"/> writes them); anything else is an InvalidBgpNeighbor error naming the value.</summary>
    public static BgpNeighbor Parse(string text)
    {
        var words = BgpText.Words(text);
        if (words.Length == 3 && BgpText.IsAs(words[1]) && BgpText.TryAddress(words[0], out var address) && BgpText.TryAs(words[2], out var asn))
        {
            return new BgpNeighbor { Address = address, As = asn };
        }
        throw LvsException.InvalidArgument("InvalidBgpNeighbor",
            $"BGP neighbor '{ValueText.Cut(text)}' is not valid; allowed: 'ADDRESS as AS' with an IP address and an AS number {BgpSettings.AsRange}, e.g. '10.0.0.1 as 65000'.", text);
    }
}

/// <summary>One director of a scale-out group: its name, its BGP router id and (optionally) its own AS number.</summary>
public sealed record BgpNode
{
    public required string Name { get; init; }

    public required IPAddress RouterId { get; init; }

    /// <summary>The node's AS number; 0 takes the group's.</summary>
    public uint As { get; init; }

    /// <summary>"lb1 10.0.0.11", or "lb2 10.0.0.12 as 65002" with an AS of its own: the text <see cref="Parse"/> reads back.</summary>
    public override string ToString() => As == 0 ? $"{Name} {RouterId}" : $"{Name} {RouterId} as {As.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Reads "NAME ROUTERID" or "NAME ROUTERID as AS"; anything else is an InvalidBgpNode error naming the value.</summary>
    public static BgpNode Parse(string text)
    {
        var words = BgpText.Words(text);
        if (words.Length is 2 or 4 && BgpText.TryAddress(words[1], out var routerId))
        {
            if (words.Length == 2) return new BgpNode { Name = words[0], RouterId = routerId };
            if (BgpText.IsAs(words[2]) && BgpText.TryAs(words[3], out var asn)) return new BgpNode { Name = words[0], RouterId = routerId, As = asn };
        }
        throw LvsException.InvalidArgument("InvalidBgpNode",
            $"BGP node '{ValueText.Cut(text)}' is not valid; allowed: 'NAME ROUTERID' or 'NAME ROUTERID as AS', e.g. 'lb1 10.0.0.11' or 'lb2 10.0.0.12 as 65002'.", text);
    }
}

/// <summary>The words of a neighbor's or node's text form, read strictly.</summary>
internal static class BgpText
{
    /// <summary>The longest text read: a node name (63) and two addresses and an AS number fit in far less.</summary>
    private const int MaxLength = 256;

    public static string[] Words(string? text) =>
        text is null || text.Length > MaxLength ? Array.Empty<string>() : text.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);

    public static bool IsAs(string word) => string.Equals(word, "as", StringComparison.OrdinalIgnoreCase);

    public static bool TryAs(string word, out uint asn) => uint.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out asn);

    /// <summary>A dotted quad or an IPv6 address, never the lenient forms IPAddress.TryParse also takes ("10" as 0.0.0.10).</summary>
    public static bool TryAddress(string word, out IPAddress address)
    {
        address = IPAddress.None;
        bool looksValid = !word.Contains('%') && (word.Contains(':') || word.Count(c => c == '.') == 3);
        if (!looksValid || !IPAddress.TryParse(word, out var parsed)) return false;
        address = parsed;
        return true;
    }
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
        // in the text forms Get-LvsBgp writes and Set-LvsBgp reads
        Diff("neighbors", string.Join(", ", Neighbors), string.Join(", ", want.Neighbors));
        Diff("nodes", string.Join(", ", Nodes), string.Join(", ", want.Nodes));
        return list;
    }

    private static LvsException Bad(string id, string message, object? target) => LvsException.InvalidArgument(id, message, target);
}
