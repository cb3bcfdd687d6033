using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Netlink;
using LvsPs.Remote;

namespace LvsPs.Commands;

/// <summary>
/// Connect-LvsDirector: points this session's cmdlets at kernel IPVS (optionally in a named network namespace), at a
/// director service, or back at the in-session managed director.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "LvsDirector", DefaultParameterSetName = KernelSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DirectorInfo))]
public sealed class ConnectLvsDirectorCommand : LvsCmdlet
{
    private const string KernelSet = "Kernel";
    private const string ManagedSet = "Managed";
    private const string ServiceSet = "Service";
    private const string AddressSet = "Address";

    /// <summary>Use the Linux kernel's IPVS over generic netlink (needs root and the ip_vs module).</summary>
    [Parameter(Mandatory = true, ParameterSetName = KernelSet)]
    public SwitchParameter Kernel { get; set; }

    /// <summary>The network namespace whose IPVS to drive (a name from 'ip netns list', or a path such as /proc/PID/ns/net); default: this process's.</summary>
    [Parameter(ParameterSetName = KernelSet)]
    [ValidateNotNullOrEmpty]
    public string? NetworkNamespace { get; set; }

    /// <summary>Go back to the in-session managed director.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ManagedSet)]
    public SwitchParameter Managed { get; set; }

    /// <summary>Use a running director service (Start-LvsDirector -Service starts one).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServiceSet)]
    public SwitchParameter Service { get; set; }

    /// <summary>The director service's control socket; default /run/lvsps/director.sock for root, else under $XDG_RUNTIME_DIR.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    [ValidateNotNullOrEmpty]
    public string? SocketPath { get; set; }

    /// <summary>A director address (Managed, Kernel, Kernel:NAMESPACE, Service, Service:SOCKETPATH, a socket path) or an object from Get-LvsDirector.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = AddressSet, ValueFromPipeline = true)]
    [DirectorTransformation]
    [ArgumentCompleter(typeof(DirectorCompleter))]
    public string Director { get; set; } = null!;

    /// <summary>Writes the director's information after connecting.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        string address = ParameterSetName switch
        {
            ManagedSet => "managed",
            KernelSet => NetworkNamespace is null ? "kernel" : "kernel:" + NetworkNamespace,
            ServiceSet => "service:" + (SocketPath is null ? DirectorSocket.DefaultPath : GetUnresolvedProviderPathFromPSPath(SocketPath)),
            _ => Director,
        };
        if (!ShouldProcess(address, "Connect this session's LvsPs cmdlets")) return;
        Try(() =>
        {
            var backend = DirectorTargets.Open(address, out bool owned);
            LvsSession.Connect(owned ? backend : null);
            if (PassThru) WriteObject(LvsSession.Current.GetInfo());
        });
    }
}
