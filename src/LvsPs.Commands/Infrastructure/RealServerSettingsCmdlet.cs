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

    /// <summary>The real server's address (RIP), or ADDRESS:PORT as ipvsadm -r takes it: 10.0.0.2:80, [2001:db8::2]:80.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RealServerAddressCompleter))]
    [Alias("RealServerAddress", "RIP")]
    public string Address { get; set; } = null!;

    /// <summary>The real server's port, 0..65535; defaults to the port in -Address, else to the virtual service's port.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PortCompleter))]
    public int Port { get; set; } = -1;

    private bool _portOnCommandLine;

    protected bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    protected override void BeginProcessing()
    {
        // before the pipeline binds anything: a piped virtual service binds its own Port, which a port in -Address overrides
        _portOnCommandLine = IsBound(nameof(Port));
        base.BeginProcessing();
    }

    /// <summary>The real server's identity, with the port defaulted to the service's.</summary>
    protected RealServerId ResolveId()
    {
        var (address, port) = Arguments.ParseEndpoint(Address, "real server address");
        bool portGiven = IsBound(nameof(Port)); // a given -Port is checked (-1 is refused, not taken as "the service's")
        if (port is { } inAddress && portGiven && _portOnCommandLine && Port != inAddress)
        {
            throw LvsException.InvalidArgument("ConflictingPort",
                $"The real server '{Address}' names port {inAddress} but -Port is {Port}; give the port once (in -Address as ipvsadm -r does, or with -Port).", Port);
        }
        return RealServerId.Create(address, port ?? (portGiven ? NewLvsVirtualServiceCommand.CheckedPort(Port) : VirtualService.Port));
    }

    /// <summary>The real server as the director reports it now, or null.</summary>
    protected RealServer? Lookup(RealServerId id) =>
        Backend.GetService(VirtualService)?.RealServers.FirstOrDefault(r => r.Settings.Id == id);
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
