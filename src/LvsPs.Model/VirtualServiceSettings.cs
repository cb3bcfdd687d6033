using System.Net.Sockets;

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
        return this;
    }

    private static bool IsContiguousMask(uint mask) => mask == 0 ? false : ((~mask + 1) & ~mask) == 0;
}
