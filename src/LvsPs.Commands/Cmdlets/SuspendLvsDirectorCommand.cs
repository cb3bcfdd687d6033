using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Commands;

/// <summary>
/// Suspend-LvsDirector: planned removal before maintenance. The director hands mastership of its failover pair to a
/// peer at once (keepalived stops and advertises priority 0) and withdraws the routes it announces; it stays out until
/// Resume-LvsDirector.
/// </summary>
[Cmdlet(VerbsLifecycle.Suspend, "LvsDirector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(FailoverStatus))]
public sealed class SuspendLvsDirectorCommand : DirectorCmdlet
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
            if (ShouldProcess($"node {status.Node ?? "(none)"}: role {status.Role}", "Hand mastership to a peer and stay out until resumed"))
            {
                failover.Suspend();
            }
            if (PassThru) WriteObject(failover.GetFailoverStatus());
        });
    }
}
