using System.Globalization;
using System.Net;
using System.Net.Sockets;
using LvsPs.Model.Settings;

namespace LvsPs.Model.Failover;

/// <summary>One director of a failover pair: its name, its VRRP priority and its own address on the VRRP interface.</summary>
public sealed record FailoverNode
{
    public required string Name { get; init; }

    public int Priority { get; init; } = 100;

    /// <summary>The node's own address on the interface (unicast source and the peers' unicast target); null with multicast.</summary>
    public IPAddress? Address { get; init; }
}

/// <summary>A virtual address the pair moves between its nodes, with its prefix length ("192.0.2.10/24").</summary>
public sealed record FailoverAddress(IPAddress Address, int PrefixLength)
{
    public static bool TryParse(string text, out FailoverAddress? value, out string? error)
    {
        value = null;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || addressText.Contains('%') || !Validation.IsUnicast(address))
        {
            error = $"Virtual address '{Cut(text)}' is not valid; allowed: a unicast IPv4 or IPv6 address, with /PREFIX or without (/32, /128).";
            return false;
        }
        int max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        int prefix = max;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix < 1 || prefix > max))
        {
            error = $"Prefix length of virtual address '{Cut(text)}' is not valid; allowed: 1..{max}.";
            return false;
        }
        value = new FailoverAddress(address, prefix);
        error = null;
        return true;
    }

    public static FailoverAddress Parse(string text) =>
        TryParse(text, out var value, out var error) ? value! : throw LvsException.InvalidArgument("InvalidVirtualAddress", error!, Cut(text));

    public override string ToString() => $"{Address}/{PrefixLength.ToString(CultureInfo.InvariantCulture)}";

    public static string Cut(string text) => text.Length <= 64 ? text : text[..61] + "...";
}

/// <summary>
/// A failover pair (or group) of directors: keepalived's vrrp_instance as one document describes it for every node.
/// Each node applies it with its own name, which selects its priority and address. LvsPs never speaks VRRP itself:
/// the director service writes keepalived's configuration and runs keepalived as the VRRP speaker (docs/high-availability.md).
/// What each setting means is written once, in <see cref="FailoverKeys"/>.
/// </summary>
public sealed record FailoverSettings
{
    public int VirtualRouterId { get; init; }

    public int AdvertisementInterval { get; init; } = 1;

    public string Interface { get; init; } = "";

    public IReadOnlyList<FailoverAddress> VirtualAddresses { get; init; } = Array.Empty<FailoverAddress>();

    public bool Unicast { get; init; }

    public string? Password { get; init; }

    public bool Preempt { get; init; } = true;

    public bool ConnectionSync { get; init; }

    public IReadOnlyList<FailoverNode> Nodes { get; init; } = Array.Empty<FailoverNode>();

    /// <summary>The node named <paramref name="name"/>, or an error that names the nodes there are.</summary>
    public FailoverNode Node(string name) =>
        Nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal)) ?? throw LvsException.InvalidArgument("UnknownFailoverNode",
            $"This director's node name '{FailoverAddress.Cut(name)}' is not one of the failover nodes; allowed: {string.Join(", ", Nodes.Select(n => n.Name))} " +
            "(give the service --node NAME, or name the node after the host).", name);

    /// <summary>The other nodes, as the peers of <paramref name="self"/>.</summary>
    public IEnumerable<FailoverNode> Peers(FailoverNode self) => Nodes.Where(n => !ReferenceEquals(n, self) && n.Name != self.Name);

    /// <summary>
    /// The IPVS connection sync daemon this pair runs in <paramref name="role"/> with connectionSync (kernel backend): on
    /// the pair's interface, with sync id = virtual router id, the kernel's defaults for the rest.
    /// </summary>
    public SyncDaemon SyncDaemonFor(SyncDaemonRole role) => new() { Role = role, Interface = Interface, SyncId = (byte)VirtualRouterId };

    /// <summary>
    /// Whether <paramref name="daemon"/> is this pair's, so that the pair may stop or restart it: connectionSync is on and
    /// the daemon runs on the pair's interface with sync id = virtual router id. A sync daemon started by hand
    /// (Start-LvsSyncDaemon) on another interface or with another sync id is the user's, and the pair never touches it
    /// (docs/high-availability.md, "Which sync daemons are the pair's").
    /// </summary>
    public bool Owns(SyncDaemon daemon) =>
        ConnectionSync && string.Equals(daemon.Interface, Interface, StringComparison.Ordinal) && daemon.SyncId == (byte)VirtualRouterId;

    /// <summary>
    /// What changing this pair to <paramref name="want"/> (null: leaving it) does to the sync daemons running now: each
    /// daemon this pair owns and <paramref name="want"/> does not is stopped (New null), or restarted in the same role with
    /// <paramref name="want"/>'s values when it keeps connectionSync.
    /// </summary>
    public IReadOnlyList<(SyncDaemon Old, SyncDaemon? New)> SyncDaemonChanges(FailoverSettings? want, IEnumerable<SyncDaemon> running) =>
        running.Where(d => Owns(d) && want?.Owns(d) != true)
            .Select(d => (d, want is { ConnectionSync: true } ? want.SyncDaemonFor(d.Role) : null))
            .ToList();

    /// <summary>What <see cref="SyncDaemonChanges"/> does, as -WhatIf and -Verbose say it after the pair's own change ("" for nothing).</summary>
    public static string Describe(IEnumerable<(SyncDaemon Old, SyncDaemon? New)> changes) =>
        string.Concat(changes.Select(c => c.New is null
            ? $"; stop its connection sync daemon ({Show(c.Old)})"
            : $"; restart its connection sync daemon ({Show(c.Old)}) as {Show(c.New)}"));

    /// <summary>A sync daemon as the failover's messages show it: role, interface and sync id.</summary>
    public static string Show(SyncDaemon daemon) => $"{daemon.Role} on {daemon.Interface} sync id {daemon.SyncId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The settings in which <paramref name="want"/> differs from this, by document key, as text.</summary>
    public List<(string Key, string? From, string? To)> Differences(FailoverSettings want)
    {
        var list = new List<(string, string?, string?)>();
        void Diff(string key, string? from, string? to)
        {
            if (!string.Equals(from, to, StringComparison.Ordinal)) list.Add((key, from, to));
        }
        Diff("virtualRouterId", Show(VirtualRouterId), Show(want.VirtualRouterId));
        Diff("advertisementInterval", Show(AdvertisementInterval), Show(want.AdvertisementInterval));
        Diff("interface", Interface, want.Interface);
        Diff("virtualAddresses", string.Join(", ", VirtualAddresses), string.Join(", ", want.VirtualAddresses));
        Diff("unicast", Unicast ? "true" : "false", want.Unicast ? "true" : "false");
        // the password itself is never shown
        if (Password != want.Password) list.Add(("password", Password is null ? null : "(set)", want.Password is null ? null : "(changed)"));
        Diff("preempt", Preempt ? "true" : "false", want.Preempt ? "true" : "false");
        Diff("connectionSync", ConnectionSync ? "true" : "false", want.ConnectionSync ? "true" : "false");
        Diff("nodes", string.Join(", ", Nodes.Select(ShowNode)), string.Join(", ", want.Nodes.Select(ShowNode)));
        return list;
    }

    private static string Show(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string ShowNode(FailoverNode n) => $"{n.Name} priority {Show(n.Priority)}" + (n.Address is null ? "" : $" {n.Address}");

    /// <summary>RFC 5798 5.2.3: VRID 1..255.</summary>
    public static readonly ValueRange VirtualRouterIdRange = new(1, 255);

    /// <summary>keepalived accepts advert_int in seconds; VRRPv2's field is whole seconds 1..255 (RFC 3768 5.3.7).</summary>
    public static readonly ValueRange AdvertisementIntervalRange = new(1, 255);

    /// <summary>255 belongs to the owner of the address (RFC 5798 5.2.4); keepalived takes 1..254 for a vrrp_instance.</summary>
    public static readonly ValueRange PriorityRange = new(1, 254);

    /// <summary>Checks every rule (ranges from keepalived's vrrp_parser.c and RFC 5798) and returns this, or throws the first failure.</summary>
    public FailoverSettings Validate()
    {
        if (!VirtualRouterIdRange.Contains(VirtualRouterId)) throw Bad("InvalidVirtualRouterId", $"Virtual router id {VirtualRouterId} is out of range; allowed: {VirtualRouterIdRange}.", VirtualRouterId);
        if (!AdvertisementIntervalRange.Contains(AdvertisementInterval)) throw Bad("InvalidAdvertisementInterval", $"Advertisement interval {AdvertisementInterval} s is out of range; allowed: {AdvertisementIntervalRange} seconds.", AdvertisementInterval);
        if (!IsInterfaceName(Interface)) throw Bad("InvalidInterface", $"Interface '{FailoverAddress.Cut(Interface)}' is not a valid interface name; allowed: 1..15 characters, no '/', ':' or white space.", Interface);
        if (VirtualAddresses.Count == 0) throw Bad("MissingVirtualAddress", "A failover pair needs at least one virtual address (virtualAddresses).", null);
        var seen = new HashSet<IPAddress>();
        foreach (var a in VirtualAddresses)
        {
            if (!seen.Add(a.Address)) throw Bad("DuplicateVirtualAddress", $"Virtual address {a.Address} appears twice; allowed: each address once.", a.Address);
        }
        if (VirtualAddresses.Select(a => a.Address.AddressFamily).Distinct().Count() > 1)
        {
            throw Bad("MixedVirtualAddresses", "The virtual addresses mix IPv4 and IPv6; allowed: one family per failover pair (VRRP runs one instance per family).", null);
        }
        // keepalived's PASS authentication carries at most 8 characters (vrrp.h VRRP_AUTH_LEN)
        if (Password is { } p && (p.Length is < 1 or > 8 || p.Any(c => c <= ' ' || c > '~' || c is '"' or '\'' or '\\' or '#' or '!')))
        {
            throw Bad("InvalidPassword", "The VRRP password is not valid; allowed: 1..8 printable ASCII characters without spaces, quotes, '\\', '#' or '!'.", null);
        }
        if (Nodes.Count == 0) throw Bad("MissingFailoverNode", "A failover pair needs its nodes (nodes: name, priority, address).", null);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var priorities = new Dictionary<int, string>();
        foreach (var n in Nodes)
        {
            if (!IsNodeName(n.Name)) throw Bad("InvalidNodeName", $"Node name '{FailoverAddress.Cut(n.Name)}' is not valid; allowed: 1..63 letters, digits, '.', '-' or '_'.", n.Name);
            if (!names.Add(n.Name)) throw Bad("DuplicateNodeName", $"Node '{n.Name}' is described twice; allowed: each node once.", n.Name);
            if (!PriorityRange.Contains(n.Priority)) throw Bad("InvalidPriority", $"Priority {n.Priority} of node '{n.Name}' is out of range; allowed: {PriorityRange}.", n.Priority);
            if (priorities.TryGetValue(n.Priority, out var other)) throw Bad("DuplicatePriority", $"Nodes '{other}' and '{n.Name}' both have priority {n.Priority}; allowed: a different priority for each node, so the master is never decided by address.", n.Priority);
            priorities.Add(n.Priority, n.Name);
            if (n.Address is { } address)
            {
                if (!Validation.IsUnicast(address)) throw Bad("InvalidNodeAddress", $"Address '{address}' of node '{n.Name}' is not valid; allowed: a unicast IPv4 or IPv6 address.", address);
                if (address.AddressFamily != VirtualAddresses[0].Address.AddressFamily) throw Bad("InvalidNodeAddress", $"Address {address} of node '{n.Name}' is not of the virtual addresses' family; allowed: {VirtualAddresses[0].Address.AddressFamily} addresses.", address);
                if (seen.Contains(address)) throw Bad("InvalidNodeAddress", $"Address {address} of node '{n.Name}' is also a virtual address; allowed: the node's own address.", address);
            }
            else if (Unicast)
            {
                throw Bad("MissingNodeAddress", $"Node '{n.Name}' has no address, which unicast needs; allowed: give each node its address on '{Interface}', or unicast: false.", n.Name);
            }
        }
        return this;
    }

    private static bool IsInterfaceName(string name) =>
        // IFNAMSIZ is 16 with the terminating NUL (linux/if.h); dev_valid_name refuses '/', ':' and white space
        name.Length is >= 1 and <= 15 && name is not "." and not ".." && name.All(c => c > ' ' && c < 127 && c is not '/' and not ':');

    private static bool IsNodeName(string name) =>
        name.Length is >= 1 and <= 63 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    private static LvsException Bad(string id, string message, object? target) => LvsException.InvalidArgument(id, message, target);
}
