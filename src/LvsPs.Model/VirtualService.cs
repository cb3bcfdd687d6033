using System.Net;
using System.Net.Sockets;

namespace LvsPs.Model;

/// <summary>A virtual service as a director reports it: settings, real servers in the director's order, and stats.</summary>
public sealed class VirtualService
{
    public VirtualService(VirtualServiceSettings settings, IReadOnlyList<RealServer> realServers, LvsStats stats)
    {
        Settings = settings;
        RealServers = realServers;
        Stats = stats;
    }

    public VirtualServiceSettings Settings { get; }

    public VirtualServiceId Id => Settings.Id;

    public LvsProtocol Protocol => Settings.Id.Protocol;

    public IPAddress? Address => Settings.Id.Address;

    public ushort Port => Settings.Id.Port;

    public uint FirewallMark => Settings.Id.FirewallMark;

    public AddressFamily AddressFamily => Settings.Id.AddressFamily;

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

    /// <summary>Real servers in the order the director schedules and lists them (IPVS: most recently added first).</summary>
    public IReadOnlyList<RealServer> RealServers { get; }

    public LvsStats Stats { get; }

    public int ActiveConnections => RealServers.Sum(r => r.ActiveConnections);

    public int InactiveConnections => RealServers.Sum(r => r.InactiveConnections);

    /// <summary>A service object stands for its identity wherever one is expected (how it binds to -VirtualService).</summary>
    public static implicit operator VirtualServiceId(VirtualService service) => service.Id;

    /// <summary>The service's identity string, e.g. <c>tcp/192.168.0.1:80</c>.</summary>
    public override string ToString() => Settings.Id.ToString();
}
