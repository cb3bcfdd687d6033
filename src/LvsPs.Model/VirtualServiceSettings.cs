using System.Net.Sockets;
using LvsPs.Model.Settings;

namespace LvsPs.Model;

/// <summary>
/// What a user sets on a virtual service (ipvsadm -A/-E): everything but its real servers and counters.
/// Immutable; <see cref="Validate"/> enforces ipvsadm's and the kernel's rules.
/// </summary>
public sealed record VirtualServiceSettings
{
    /// <summary>ipvsadm's default scheduler (ipvsadm.c DEF_SCHED).</summary>
    public const string DefaultScheduler = "wlc";

    public required VirtualServiceId Id { get; init; }

    public string Scheduler { get; init; } = DefaultScheduler;

    /// <summary>Persistence timeout in seconds; 0 means not persistent (ipvsadm -p).</summary>
    public uint PersistenceTimeout { get; init; }

    /// <summary>The persistence timeout's range: the kernel's 32-bit field (ip_vs.h ip_vs_service_user.timeout).</summary>
    public static readonly ValueRange PersistenceTimeoutRange = ValueRange.Bits(32);

    /// <summary>
    /// Persistence granularity (ipvsadm -M): for IPv4 a netmask in host byte order (default 255.255.255.255),
    /// for IPv6 a prefix length (default 128).
    /// </summary>
    public uint Netmask { get; init; } = uint.MaxValue;

    public bool OnePacket { get; init; }

    public SchedulerFlags SchedulerFlags { get; init; }

    /// <summary>Persistence engine name (ipvsadm --pe), e.g. "sip"; null for none.</summary>
    public string? PersistenceEngine { get; init; }

    /// <summary>
    /// The application helper (layer-7 inspection) of the service, such as FTP. New-LvsVirtualService defaults it to FTP
    /// for TCP port 21, as ip_vs_ftp's <c>ports=21</c>; a settings object made in code defaults to none.
    /// </summary>
    public ApplicationHelper Helper { get; init; }

    /// <summary>PROXY protocol header written to each real server at the start of a connection (HAProxy's send-proxy,
    /// send-proxy-v2); a real server's own setting overrides it. Managed engine, tcp/ services.</summary>
    public ProxyProtocol SendProxy { get; init; }

    /// <summary>Clients come through a load balancer in front that starts each connection with a PROXY protocol header
    /// (v1 or v2, HAProxy's accept-proxy); a connection without one is refused. Managed engine, tcp/ services.</summary>
    public bool AcceptProxy { get; init; }

    /// <summary>Connect to real servers from the client's own address and port (IP_TRANSPARENT, needs root and replies
    /// routed back through the director). Managed engine, tcp/ services.</summary>
    public bool Transparent { get; init; }

    /// <summary>Content rules checked in order on the start of each connection (HTTP/1.x request or TLS ClientHello);
    /// the first match picks the group of real servers. Empty: plain layer-4 balancing. Managed engine, tcp/ services.</summary>
    public IReadOnlyList<ContentRule> ContentRules { get; init; } = Array.Empty<ContentRule>();

    /// <summary>The group a connection goes to when content rules are set and none matches; null: the real servers
    /// without a group.</summary>
    public string? DefaultGroup { get; init; }

    /// <summary>The most content rules a service takes.</summary>
    public const int MaxContentRules = 256;

    /// <summary>Whether the service needs the managed engine's layer-7 features (content rules, PROXY protocol, transparent mode).</summary>
    public bool UsesConnectionFeatures => SendProxy != ProxyProtocol.None || AcceptProxy || Transparent || ContentRules.Count > 0 || DefaultGroup is not null;

    public bool IsPersistent => PersistenceTimeout != 0;

    /// <summary>The flags word as the kernel keeps it (without HASHED).</summary>
    public ServiceFlags Flags =>
        (IsPersistent ? ServiceFlags.Persistent : 0) | (OnePacket ? ServiceFlags.OnePacket : 0) | (ServiceFlags)SchedulerFlags;

    /// <summary>The effective netmask, defaulted per family (128 for IPv6 when the IPv4 default is left in place).</summary>
    public uint EffectiveNetmask =>
        Id.AddressFamily == AddressFamily.InterNetworkV6 ? (Netmask > 128 ? 128u : Netmask) : Netmask;

    public VirtualServiceSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(Scheduler) || Scheduler.Length > Validation.MaxSchedulerNameLength)
        {
            throw LvsException.InvalidArgument("InvalidScheduler", $"Scheduler '{ValueText.Cut(Scheduler)}' is not a valid scheduler name.", Scheduler);
        }
        if (PersistenceEngine is not null && !Validation.PersistenceEngines.Contains(PersistenceEngine, StringComparer.Ordinal))
        {
            throw LvsException.InvalidArgument("UnknownPersistenceEngine",
                $"Persistence engine '{ValueText.Cut(PersistenceEngine)}' is not one the kernel has; allowed: {string.Join(", ", Validation.PersistenceEngines)}.", PersistenceEngine);
        }
        if (!Id.IsFirewallMark && Id.Port == 0 && !IsPersistent)
        {
            // ipvsadm: "Zero port specified for non-persistent service".
            throw LvsException.InvalidArgument("ZeroPortNotPersistent", $"Virtual service '{Id}' has port 0, which is only allowed for a persistent service (give a persistence timeout).", Id);
        }
        if (OnePacket && Id.Protocol != LvsProtocol.Udp && !Id.IsFirewallMark)
        {
            // ipvsadm: "One-Packet Scheduling is only for UDP virtual services".
            throw LvsException.InvalidArgument("OnePacketNotUdp", $"One-packet scheduling is only for UDP (or firewall-mark) services, not '{Id}'.", Id);
        }
        if (Id.AddressFamily == AddressFamily.InterNetworkV6 && Netmask != uint.MaxValue && Netmask is < 1 or > 128)
        {
            throw LvsException.InvalidArgument("InvalidNetmask", $"IPv6 persistence prefix length {Netmask} is out of range; allowed: 1..128.", Netmask);
        }
        if (Id.AddressFamily == AddressFamily.InterNetwork && !IsContiguousMask(Netmask))
        {
            throw LvsException.InvalidArgument("InvalidNetmask", $"Persistence netmask {NetmaskText.FormatIPv4(Netmask)} is not a contiguous netmask.", Netmask);
        }
        ApplicationHelpers.Require(Helper, Id);
        ValidateConnectionFeatures();
        return this;
    }

    private void ValidateConnectionFeatures()
    {
        ClientAddressing.RequireKnown(SendProxy, "SendProxy");
        if (ContentRules is null) throw LvsException.InvalidArgument("InvalidContentRules", "Content rules must be a list (empty for none).", null);
        if (!UsesConnectionFeatures) return;
        if (Id.IsFirewallMark || Id.Protocol != LvsProtocol.Tcp)
        {
            throw LvsException.InvalidArgument("ConnectionFeaturesNeedTcp",
                $"Content rules, the PROXY protocol and transparent mode work on the start of a TCP connection, so they are only for tcp/ services, not '{Id}'.", Id);
        }
        if (ContentRules.Count > MaxContentRules)
        {
            throw LvsException.InvalidArgument("TooManyContentRules", $"Virtual service '{Id}' has {ContentRules.Count} content rules; at most {MaxContentRules} are allowed.", ContentRules.Count);
        }
        foreach (var rule in ContentRules) (rule ?? throw LvsException.InvalidArgument("InvalidContentRules", "A content rule is missing (null).", null)).Validate();
        if (DefaultGroup is not null) RealServerGroups.Require(DefaultGroup, "Default group");
        if (ContentRules.Count > 0 && Helper != ApplicationHelper.None)
        {
            throw LvsException.InvalidArgument("ContentRulesWithHelper", $"Virtual service '{Id}' has the {Helper} helper; content rules read HTTP or TLS, so they cannot be combined with it.", Helper);
        }
    }

    private static bool IsContiguousMask(uint mask) => mask == 0 ? false : ((~mask + 1) & ~mask) == 0;
}
