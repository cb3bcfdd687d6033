using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Commands;

/// <summary>Resume-LvsDirector: after Suspend-LvsDirector, the director rejoins its failover pair and announces again.</summary>
[Cmdlet(VerbsLifecycle.Resume, "LvsDirector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FailoverStatus))]
public sealed class ResumeLvsDirectorCommand : DirectorCmdlet
{
    /// <summary>Writes where the director stands afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        Try(() =>
        {
            var failover = DirectorChange.FailoverOf(Backend);
            var status = failover.GetFailoverStatus();
            if (ShouldProcess($"node {status.Node ?? "(none)"}: suspended {status.Suspended}", "Rejoin the failover pair")) failover.Resume();
            if (PassThru) WriteObject(failover.GetFailoverStatus());
        });
    }
}
