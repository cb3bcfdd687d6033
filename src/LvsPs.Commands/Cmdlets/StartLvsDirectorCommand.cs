using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// Start-LvsDirector: starts the managed director in this PowerShell session. It forwards in the background while the
/// prompt stays usable, until Stop-LvsDirector, removal of the module, or the end of the session.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "LvsDirector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(DirectorInfo))]
public sealed class StartLvsDirectorCommand : LvsCmdlet
{
    /// <summary>Writes the director's information.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        if (LvsSession.ManagedDirector is { } running)
        {
            WriteVerbose("The in-session managed director is already running.");
            if (PassThru) WriteObject(running.GetInfo());
            return;
        }
        if (!ShouldProcess("in-session managed director", "Start")) return;
        LvsSession.StartManaged(null, out var director);
        if (PassThru) WriteObject(director.GetInfo());
    }
}
