namespace LvsPs.Model;

/// <summary>What a user sets on a real server (ipvsadm -a/-e).</summary>
public sealed record RealServerSettings
{
    public required RealServerId Id { get; init; }

    public ForwardingMethod Forwarding { get; init; } = ForwardingMethod.Masquerade;

    public int Weight { get; init; } = 1;

    /// <summary>Upper connection threshold (ipvsadm -x); 0 means none.</summary>
    public uint UpperThreshold { get; init; }

    /// <summary>Lower connection threshold (ipvsadm -y); 0 means none.</summary>
    public uint LowerThreshold { get; init; }

    public TunnelType TunnelType { get; init; } = TunnelType.IpIp;

    /// <summary>Destination port of the GUE tunnel.</summary>
    public ushort TunnelPort { get; init; }

    public TunnelFlags TunnelFlags { get; init; }

    /// <summary>PROXY protocol towards this real server; null takes the virtual service's (managed engine).</summary>
    public ProxyProtocol? SendProxy { get; init; }

    /// <summary>The content-routing group the real server belongs to; null: none (it takes connections no rule sends
    /// elsewhere, when the service has no default group).</summary>
    public string? Group { get; init; }

    public RealServerSettings Validate()
    {
        // here, not only in RealServerId.Create: a deserialized identity (control socket, state file) skips Create
        Validation.RequireUnicastAddress(Id.Address, "real server address");
        if (SendProxy is { } proxy) ClientAddressing.RequireKnown(proxy, "SendProxy");
        if (Group is not null) RealServerGroups.Require(Group, "Real server group");
        Validation.RequireWeight(Weight);
        Validation.RequireThresholds(UpperThreshold, LowerThreshold);
        if (Forwarding == ForwardingMethod.Local)
        {
            throw LvsException.InvalidArgument("InvalidForwarding", "Forwarding method 'Local' is set by the kernel, not by users; allowed: Masquerade, DirectRoute, Tunnel.", Forwarding);
        }
        if (Forwarding == ForwardingMethod.Tunnel && TunnelType == TunnelType.Gue && TunnelPort == 0)
        {
            throw LvsException.InvalidArgument("MissingTunnelPort", "A GUE tunnel needs a tunnel port (1..65535).", TunnelPort);
        }
        return this;
    }
}
