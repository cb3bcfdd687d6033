using System.Management.Automation;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.Commands;

/// <summary>
/// Get-LvsDirector: which director the cmdlets use and what it says about itself. It never starts one: an in-session
/// director that is not running, or a director service that does not answer, is reported with Running = False.
/// </summary>
[Cmdlet(VerbsCommon.Get, "LvsDirector")]
[OutputType(typeof(DirectorInfo))]
public sealed class GetLvsDirectorCommand : DirectorCmdlet
{
    /// <summary>Nothing is opened up front: opening the in-session director would start it.</summary>
    protected override void BeginProcessing()
    {
    }

    protected override void EndProcessing()
    {
        IDirectorBackend? director;
        if (Director is null)
        {
            director = LvsSession.CurrentIfRunning;
        }
        else if (DirectorTargets.IsInSession(Director))
        {
            director = LvsSession.ManagedDirector;
        }
        else
        {
            try
            {
                director = Backend;
            }
            catch (LvsException e) when (e.ErrorId == "DirectorServiceNotRunning" && e.TargetObject is string socket)
            {
                WriteVerbose(e.Message);
                WriteObject(new DirectorInfo { Kind = DirectorKind.Service, Target = socket, Version = string.Empty, Running = false });
                return;
            }
            catch (LvsException e)
            {
                WriteError(ToErrorRecord(e));
                return;
            }
        }
        if (director is null)
        {
            WriteObject(NotRunningInSession());
            return;
        }
        try
        {
            WriteObject(director.GetInfo());
        }
        catch (LvsException e) when (e.Kind == LvsErrorKind.Unavailable && director is IDirectorServiceClient remote)
        {
            WriteVerbose(e.Message);
            WriteObject(new DirectorInfo { Kind = DirectorKind.Service, Target = remote.SocketPath, Version = string.Empty, Running = false });
        }
        catch (LvsException e)
        {
            WriteError(ToErrorRecord(e));
        }
    }

    private static DirectorInfo NotRunningInSession() =>
        new() { Kind = DirectorKind.Managed, Target = "in-session", Version = ManagedDirector.IpvsVersion, Running = false };
}
