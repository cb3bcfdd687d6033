using System.Net.Sockets;
using System.Text.Json.Serialization;

namespace LvsPs.Model;

/// <summary>Whether a configured virtual service runs.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum ServiceState : long
{
    /// <summary>It runs: it accepts and forwards traffic.</summary>
    Running,

    /// <summary>It is configured and kept (listed, saved) but cannot run yet, e.g. its address is not local; it is retried.</summary>
    Waiting,
}

/// <summary>
/// A virtual service as a director reports it: settings, real servers and stats. Its public surface is what a person
/// would write (identity and addresses as text, enums by name), so that ConvertTo-Json, Export-Csv and Format-List *
/// give readable values; the settings record behind it is internal to the LvsPs layers (docs/output-objects.md).
/// </summary>
public sealed class VirtualService
{
    /// <param name="settings">The service's settings.</param>
    /// <param name="realServers">Real servers in the director's order (each keeps that index as its Position).</param>
    /// <param name="stats">The service's counters.</param>
    public VirtualService(VirtualServiceSettings settings, IReadOnlyList<RealServer> realServers, LvsStats stats)
    {
        Settings = settings;
        for (int i = 0; i < realServers.Count; i++) realServers[i].Position = i;
        RealServers = new TextList<RealServer>(realServers);
        Stats = stats;
    }

    private VirtualService(VirtualService other, IReadOnlyList<RealServer> realServers, int position)
    {
        Settings = other.Settings;
        RealServers = new TextList<RealServer>(realServers);
        Stats = other.Stats;
        Position = position;
    }

    /// <summary>The settings record (what ipvsadm -A/-E sets); internal so that it is not shown twice.</summary>
    [JsonInclude]
    internal VirtualServiceSettings Settings { get; }

    /// <summary>The identity string, e.g. <c>tcp/192.168.0.1:80</c> or <c>fwm/7</c>.</summary>
    public string Id => Settings.Id.ToString();

    public LvsProtocol Protocol => Settings.Id.Protocol;

    /// <summary>The virtual IP (VIP) as text; null for a firewall-mark service.</summary>
    public string? Address => Settings.Id.Address?.ToString();

    public ushort Port => Settings.Id.Port;

    public uint FirewallMark => Settings.Id.FirewallMark;

    /// <summary>IPv4 or IPv6.</summary>
    public string AddressFamily => AddressFamilyNames.Of(Settings.Id.AddressFamily);

    public string Scheduler => Settings.Scheduler;

    public ServiceFlags Flags => Settings.Flags;

    public SchedulerFlags SchedulerFlags => Settings.SchedulerFlags;

    public bool Persistent => Settings.IsPersistent;

    public uint PersistenceTimeout => Settings.PersistenceTimeout;

    /// <summary>The persistence netmask as ipvsadm shows it (dotted for IPv4, a prefix length for IPv6).</summary>
    public string Netmask => NetmaskText.Format(Settings.EffectiveNetmask, Settings.Id.AddressFamily);

    public bool OnePacket => Settings.OnePacket;

    public string? PersistenceEngine => Settings.PersistenceEngine;

    /// <summary>The application helper (layer-7 inspection) of the service: None or Ftp.</summary>
    public ApplicationHelper Helper => Settings.Helper;

    /// <summary>The PROXY protocol header written to real servers (a real server's own setting overrides it).</summary>
    public ProxyProtocol SendProxy => Settings.SendProxy;

    /// <summary>Whether clients must start with a PROXY protocol header (a load balancer in front).</summary>
    public bool AcceptProxy => Settings.AcceptProxy;

    /// <summary>Whether real servers are connected to from the client's own address (transparent mode).</summary>
    public bool Transparent => Settings.Transparent;

    /// <summary>What address the service's real servers see for a client (those with their own PROXY setting may differ).</summary>
    public ClientAddressView RealServersSee => ClientAddressing.ViewOf(Settings, null);

    /// <summary>Content rules, checked in order on the start of each connection.</summary>
    public IReadOnlyList<ContentRule> ContentRules => Settings.ContentRules;

    /// <summary>The group for connections no content rule matches (null: the real servers without a group).</summary>
    public string? DefaultGroup => Settings.DefaultGroup;

    /// <summary>
    /// The service's place in the director's own order (ipvsadm --nosort), from 0; listings are sorted as ipvsadm -L
    /// sorts unless -NoSort is given.
    /// </summary>
    public int Position { get; }

    /// <summary>Real servers (their text is the endpoints); in a listing sorted by address and port as ipvsadm -L sorts, each with its Position in the director's order.</summary>
    public IReadOnlyList<RealServer> RealServers { get; }

    public LvsStats Stats { get; }

    /// <summary>Running, or Waiting: configured and kept, but not running yet (see <see cref="Reason"/>; it is retried).</summary>
    public ServiceState State { get; init; } = ServiceState.Running;

    /// <summary>Why a waiting service does not run (e.g. its address is not local yet, its port is taken); null when running.</summary>
    public string? Reason { get; init; }

    public int ActiveConnections => RealServers.Sum(r => r.ActiveConnections);

    public int InactiveConnections => RealServers.Sum(r => r.InactiveConnections);

    public int PersistentConnections => RealServers.Sum(r => r.PersistentConnections);

    /// <summary>
    /// This service as a listing shows it: at <paramref name="position"/> in the director's order, its real servers
    /// sorted by address and port (ipvsadm's ipvs_cmp_dests) unless <paramref name="sortRealServers"/> is false.
    /// </summary>
    public VirtualService InListing(int position, bool sortRealServers) =>
        new(this, sortRealServers ? RealServers.OrderBy(r => r.Settings.Id, IpvsadmRules.RealServerOrder).ToList() : RealServers.ToList(), position);

    /// <summary>A service object stands for its identity wherever one is expected (how it binds to -VirtualService).</summary>
    public static implicit operator VirtualServiceId(VirtualService service) => service.Settings.Id;

    /// <summary>The service's identity string, e.g. <c>tcp/192.168.0.1:80</c>.</summary>
    public override string ToString() => Settings.Id.ToString();
}

/// <summary>The names LvsPs uses for address families: IPv4 and IPv6, as -AddressFamily takes them.</summary>
public static class AddressFamilyNames
{
    public static string Of(AddressFamily family) => family == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
