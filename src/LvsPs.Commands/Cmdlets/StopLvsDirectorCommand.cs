using System.Management.Automation;

namespace LvsPs.Commands;

/// <summary>
/// Stop-LvsDirector: stops the in-session managed director: its listeners close, its connections are reset, every
/// socket is released and its configuration is discarded (as unloading ip_vs discards the kernel's).
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "LvsDirector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StopLvsDirectorCommand : LvsCmdlet
{
    protected override void EndProcessing()
    {
        var director = LvsSession.ManagedDirector;
        if (director is null)
        {
            WriteVerbose("No in-session managed director is running.");
            return;
        }
        var info = director.GetInfo();
        if (!ShouldProcess($"in-session managed director ({info.VirtualServiceCount} virtual services, {info.ConnectionCount} connections)", "Stop")) return;
        LvsSession.StopManaged();
    }
}
