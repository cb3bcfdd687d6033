using System.Management.Automation;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// A cmdlet that acts on one real server of a virtual service, named by -VirtualService, -Address and -Port (the port
/// defaults to the service's, as in ipvsadm).
/// </summary>
public abstract class RealServerTargetCmdlet : DirectorCmdlet
{
    /// <summary>The virtual service: its identity string (tcp/192.168.0.1:80) or an object from Get-LvsVirtualService.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId VirtualService { get; set; } = null!;

    /// <summary>The real server's address (RIP).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RealServerAddressCompleter))]
    [Alias("RealServerAddress", "RIP")]
    public string Address { get; set; } = null!;

    /// <summary>The real server's port; defaults to the virtual service's port.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Port { get; set; } = -1;

    protected bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    /// <summary>The real server's identity, with the port defaulted to the service's.</summary>
    protected RealServerId ResolveId() =>
        RealServerId.Create(Arguments.ParseAddress(Address, "real server address"), NewLvsVirtualServiceCommand.CheckedPort(IsBound(nameof(Port)) && Port >= 0 ? Port : VirtualService.Port));

    /// <summary>The real server as the director reports it now, or null.</summary>
    protected RealServer? Lookup(RealServerId id) =>
        Backend.GetService(VirtualService)?.RealServers.FirstOrDefault(r => r.Id == id);
}

/// <summary>The settings Add- and Set-LvsRealServer share (ipvsadm -a / -e options).</summary>
public abstract class RealServerSettingsCmdlet : RealServerTargetCmdlet
{
    /// <summary>Weight 0..65535 (ipvsadm -w); 0 quiesces the real server: no new connections, existing ones continue.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Weight { get; set; } = 1;

    /// <summary>Forwarding method: Masquerade (NAT, the default), DirectRoute or Tunnel; the last two need the kernel backend.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Method")]
    public ForwardingMethod Forwarding { get; set; } = ForwardingMethod.Masquerade;

    /// <summary>Upper connection threshold (ipvsadm -x); 0 for none.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint UpperThreshold { get; set; }

    /// <summary>Lower connection threshold (ipvsadm -y); 0 for none.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public uint LowerThreshold { get; set; }

    /// <summary>Tunnel encapsulation for -Forwarding Tunnel: IpIp (default), Gue or Gre.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public TunnelType TunnelType { get; set; } = TunnelType.IpIp;

    /// <summary>Destination UDP port of the GUE encapsulation, for -Forwarding Tunnel -TunnelType Gue.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public ushort TunnelPort { get; set; }

    /// <summary>Checksum options of GUE and GRE tunnels: NoChecksum (default), Checksum or RemoteChecksum.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public TunnelFlags TunnelFlags { get; set; }

    /// <summary>
    /// PROXY protocol towards this real server, overriding the virtual service's -SendProxy: V1, V2, None, or Inherit
    /// (the default) to take the service's. Managed engine.
    /// </summary>
    [Parameter]
    [ValidateSet("Inherit", "None", "V1", "V2")]
    public string SendProxy { get; set; } = "Inherit";

    /// <summary>
    /// The content-routing group the real server belongs to (letters, digits, '-', '_', '.'); content rules send
    /// connections to a group, and the service's scheduler chooses inside it. Empty for none. Managed engine.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    [AllowNull]
    public string? Group { get; set; }

    /// <summary>Applies the parameters the user gave over <paramref name="current"/>.</summary>
    protected RealServerSettings ApplyTo(RealServerSettings current)
    {
        var s = current;
        if (IsBound(nameof(Weight))) s = s with { Weight = Weight };
        if (IsBound(nameof(Forwarding))) s = s with { Forwarding = Forwarding };
        if (IsBound(nameof(UpperThreshold))) s = s with { UpperThreshold = UpperThreshold };
        if (IsBound(nameof(LowerThreshold))) s = s with { LowerThreshold = LowerThreshold };
        if (IsBound(nameof(TunnelType))) s = s with { TunnelType = TunnelType };
        if (IsBound(nameof(TunnelPort))) s = s with { TunnelPort = TunnelPort };
        if (IsBound(nameof(TunnelFlags))) s = s with { TunnelFlags = TunnelFlags };
        if (IsBound(nameof(SendProxy))) s = s with { SendProxy = SendProxy == "Inherit" ? null : Enum.Parse<ProxyProtocol>(SendProxy) };
        if (IsBound(nameof(Group))) s = s with { Group = string.IsNullOrEmpty(Group) ? null : Group };
        return s.Validate();
    }
}
