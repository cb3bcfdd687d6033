namespace LvsPs.Model.Failover;

/// <summary>
/// The failover section's keys and what each means: the one place these settings are described. The settings vocabulary
/// (Settings.SettingCatalog) takes its failover and bgp keys from here, and a test holds docs/lvsps-director.schema.json's
/// descriptions to these texts.
/// </summary>
public static class FailoverKeys
{
    public static readonly IReadOnlyList<(string Key, string Description)> Section = new[]
    {
        ("virtualRouterId", "VRRP virtual router id (1..255), the same on every node of the pair and unique on the link (keepalived virtual_router_id)."),
        ("advertisementInterval", "Seconds between VRRP advertisements (1..255, default 1). A backup takes over about 3 intervals after the master falls silent (keepalived advert_int)."),
        ("interface", "The network interface VRRP runs on and the virtual addresses are added to, e.g. eth0 (keepalived interface)."),
        ("virtualAddresses", "The addresses the master holds, ADDRESS or ADDRESS/PREFIX, one family (keepalived virtual_ipaddress)."),
        ("unicast", "true: advertisements go to the other nodes' addresses instead of the VRRP multicast group 224.0.0.18 (keepalived unicast_peer); every node then needs an address. Default false."),
        ("password", "Optional VRRP password, 1..8 characters (keepalived authentication with auth_type PASS). It guards against mistakes, not attackers: it crosses the link in clear."),
        ("preempt", "true (default): a node with a higher priority takes mastership back when it returns. false: the master keeps it (keepalived nopreempt)."),
        ("connectionSync", "true: with the kernel backend the master runs the IPVS connection sync daemon as master and the backups as backup, on the same interface with sync id = virtualRouterId, so established connections survive a failover. Default false."),
        ("nodes", "The directors of the pair: each node's name (the director service's --node, default the host name), priority and address."),
    };

    public static readonly IReadOnlyList<(string Key, string Description)> Node = new[]
    {
        ("name", "The node's name: the director service applies the entry whose name is its --node (default: the host name)."),
        ("priority", "VRRP priority 1..254, different on each node; the highest live node is master (keepalived priority)."),
        ("address", "The node's own address on the interface: the unicast source, and the target of the other nodes' unicast advertisements."),
    };

    public static readonly IReadOnlyList<(string Key, string Description)> Bgp = new[]
    {
        ("as", "The directors' AS number (1..4294967295; private ones are 64512..65534 and 4200000000..4294967294). A node may have its own."),
        ("neighbors", "The routers each director announces to: address and as. Each director announces the address of every virtual service (a host route, next hop self) while that service has an available real server."),
        ("nodes", "The directors of the group: each node's name (the director service's --node, default the host name), its BGP router id, and optionally its own AS number."),
    };

    public static readonly IReadOnlyList<(string Key, string Description)> BgpNeighbor = new[]
    {
        ("address", "The router's address, on a network this director reaches directly."),
        ("as", "The router's AS number."),
    };

    public static readonly IReadOnlyList<(string Key, string Description)> BgpNode = new[]
    {
        ("name", "The node's name: the director service applies the entry whose name is its --node (default: the host name)."),
        ("routerId", "The node's BGP router id, an IPv4 address unique in the group (usually its own address)."),
        ("as", "The node's own AS number, when it differs from the group's."),
    };

    public static string Describe(string key) =>
        Section.Concat(Node).First(k => string.Equals(k.Key, key, StringComparison.OrdinalIgnoreCase)).Description;
}
