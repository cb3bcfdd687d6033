using System.Net;

namespace LvsPs.Model;

/// <summary>A real server as a director reports it: its settings, connection counters and stats.</summary>
public sealed class RealServer
{
    public RealServer(VirtualServiceId virtualService, RealServerSettings settings)
    {
        VirtualService = virtualService;
        Settings = settings;
    }

    public VirtualServiceId VirtualService { get; }

    public RealServerSettings Settings { get; }

    public IPAddress Address => Settings.Id.Address;

    public ushort Port => Settings.Id.Port;

    public RealServerId Id => Settings.Id;

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

    /// <summary>The ipvsadm-style endpoint, e.g. <c>10.0.0.2:80</c>.</summary>
    public override string ToString() => Settings.Id.ToString();
}
