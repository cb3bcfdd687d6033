using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Netlink;

namespace LvsPs.Commands;

/// <summary>
/// Connect-LvsDirector: points this session's cmdlets at kernel IPVS (optionally in a named network namespace) or back
/// at the in-session managed director.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "LvsDirector", DefaultParameterSetName = KernelSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DirectorInfo))]
public sealed class ConnectLvsDirectorCommand : LvsCmdlet
{
    private const string KernelSet = "Kernel";
    private const string ManagedSet = "Managed";

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

    /// <summary>Writes the director's information after connecting.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ManagedSet)
        {
            if (!ShouldProcess("in-session managed director", "Connect")) return;
            LvsSession.Connect(null);
        }
        else
        {
            string target = NetworkNamespace is null ? "kernel IPVS" : $"kernel IPVS in network namespace '{NetworkNamespace}'";
            if (!ShouldProcess(target, "Connect")) return;
            var director = Try(() => new KernelDirector(NetworkNamespace));
            if (director is null) return;
            LvsSession.Connect(director);
        }
        if (PassThru) Try(() => WriteObject(Director.GetInfo()));
    }
}
