using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// Disconnect-LvsDirector: closes this session's connection to kernel IPVS or a director service; the cmdlets go back to
/// the in-session managed director. The director itself keeps running.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "LvsDirector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(void))]
public sealed class DisconnectLvsDirectorCommand : LvsCmdlet
{
    protected override void EndProcessing()
    {
        if (LvsSession.Connected is not { } connected)
        {
            WriteVerbose("This session is not connected to another director; it uses the in-session managed director.");
            return;
        }
        // a stopped service is still disconnected from without a word: only its name is needed here
        var what = connected is LvsPs.Remote.RemoteDirector remote ? "service:" + remote.SocketPath : Try(() => DirectorTargets.AddressOf(connected.GetInfo())) ?? "the connected director";
        if (ShouldProcess(what, "Disconnect")) LvsSession.Connect(null);
    }
}
