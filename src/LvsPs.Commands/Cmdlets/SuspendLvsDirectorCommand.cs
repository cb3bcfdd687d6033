using System.Management.Automation;
using LvsPs.Model.Failover;

namespace LvsPs.Commands;

/// <summary>
/// Suspend-LvsDirector: planned removal before maintenance. The director hands mastership of its failover pair to a
/// peer at once (keepalived stops and advertises priority 0) and withdraws the routes it announces; it stays out until
/// Resume-LvsDirector.
/// </summary>
[Cmdlet(VerbsLifecycle.Suspend, "LvsDirector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(FailoverStatus))]
public sealed class SuspendLvsDirectorCommand : FailoverStepCmdlet
{
    private protected override string Target(FailoverStatus status) => $"node {status.Node ?? "(none)"}: role {status.Role}";

    private protected override string Step => "Hand mastership to a peer and stay out until resumed";

    private protected override void Take(IFailoverControl failover) => failover.Suspend();
}
