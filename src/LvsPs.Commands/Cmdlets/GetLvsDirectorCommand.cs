using System.Management.Automation;
using LvsPs.Engine;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsDirector: which director the cmdlets use and what it says about itself.</summary>
[Cmdlet(VerbsCommon.Get, "LvsDirector")]
[OutputType(typeof(DirectorInfo))]
public sealed class GetLvsDirectorCommand : DirectorCmdlet
{
    protected override void EndProcessing()
    {
        var director = Director is not null ? Try(() => Backend) : LvsSession.CurrentIfRunning;
        if (Director is not null && director is null) return;
        if (director is null)
        {
            WriteObject(new DirectorInfo { Kind = DirectorKind.Managed, Target = "in-session", Version = ManagedDirector.IpvsVersion, Running = false });
            return;
        }
        Try(() => WriteObject(director.GetInfo()));
    }
}
