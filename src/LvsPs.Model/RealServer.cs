using System.Text.Json.Serialization;

namespace LvsPs.Model;

/// <summary>
/// A real server as a director reports it: its settings, connection counters and stats. As with
/// <see cref="VirtualService"/>, the public surface is text and names; the settings record is internal.
/// </summary>
public sealed class RealServer
{
    public RealServer(VirtualServiceId serviceId, RealServerSettings settings)
    {
        ServiceId = serviceId;
        Settings = settings;
    }

    /// <summary>The identity of the virtual service this real server belongs to.</summary>
    [JsonInclude]
    internal VirtualServiceId ServiceId { get; }

    [JsonInclude]
    internal RealServerSettings Settings { get; }

    /// <summary>The virtual service's identity string, e.g. <c>tcp/192.168.0.1:80</c> (binds to -VirtualService by name).</summary>
    public string VirtualService => ServiceId.ToString();

    /// <summary>The real server's endpoint as ipvsadm prints it, e.g. <c>10.0.0.2:80</c> or <c>[2001:db8::2]:80</c>.</summary>
    public string Id => Settings.Id.ToString();

    /// <summary>The real server's address (RIP) as text.</summary>
    public string Address => Settings.Id.Address.ToString();

    public ushort Port => Settings.Id.Port;

    public ForwardingMethod Forwarding => Settings.Forwarding;

    public int Weight => Settings.Weight;

    public uint UpperThreshold => Settings.UpperThreshold;

    public uint LowerThreshold => Settings.LowerThreshold;

    public TunnelType TunnelType => Settings.TunnelType;

    public ushort TunnelPort => Settings.TunnelPort;

    public TunnelFlags TunnelFlags => Settings.TunnelFlags;

    /// <summary>The real server's own PROXY protocol setting; null when it takes the service's.</summary>
    public ProxyProtocol? SendProxy => Settings.SendProxy;

    /// <summary>The content-routing group the real server belongs to (null: none).</summary>
    public string? Group => Settings.Group;

    /// <summary>What address this real server sees for a client; set by the director that lists it.</summary>
    public ClientAddressView Sees { get; init; }

    /// <summary>Connections in the established state (ipvsadm ActiveConn).</summary>
    public int ActiveConnections { get; init; }

    /// <summary>Connections in any other state: closing, waiting, and all UDP flows (ipvsadm InActConn).</summary>
    public int InactiveConnections { get; init; }

    /// <summary>Persistence templates pointing at this real server (ipvsadm --persistent-conn PersistConn).</summary>
    public int PersistentConnections { get; init; }

    /// <summary>True while thresholds have taken the real server out of scheduling (IP_VS_DEST_F_OVERLOAD).</summary>
    public bool Overloaded { get; init; }

    public LvsStats Stats { get; init; } = LvsStats.Zero;

    private readonly int? _effectiveWeight;

    /// <summary>
    /// The weight the director schedules with now: <see cref="Weight"/> (the configured one) unless a health check has
    /// taken the real server out, when it is 0 (quiesced, or removed from the table until it is healthy again).
    /// </summary>
    public int EffectiveWeight { get => _effectiveWeight ?? Settings.Weight; init => _effectiveWeight = value; }

    /// <summary>What the service's health check last found (Unknown before the first check); null when the service has no check.</summary>
    public Health.HealthState? HealthState { get; init; }

    /// <summary>
    /// This real server as configured (<paramref name="configured"/>), with its live counters and the weight the table
    /// has now; <paramref name="live"/> is its entry in the director's table, or null when a check removed it.
    /// </summary>
    public static RealServer Configured(VirtualServiceId service, RealServerSettings configured, RealServer? live, Health.HealthState state) =>
        new(service, configured)
        {
            ActiveConnections = live?.ActiveConnections ?? 0,
            InactiveConnections = live?.InactiveConnections ?? 0,
            PersistentConnections = live?.PersistentConnections ?? 0,
            Overloaded = live?.Overloaded ?? false,
            Stats = live?.Stats ?? LvsStats.Zero,
            EffectiveWeight = live?.Weight ?? 0,
            HealthState = state,
        };

    /// <summary>The real server's place in the director's own order (ipvsadm --nosort; IPVS lists the most recently added first), from 0.</summary>
    public int Position { get; internal set; }

    /// <summary>The ipvsadm-style endpoint, e.g. <c>10.0.0.2:80</c>.</summary>
    public override string ToString() => Settings.Id.ToString();
}
