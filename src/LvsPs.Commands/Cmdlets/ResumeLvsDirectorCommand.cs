using System.Management.Automation;
using LvsPs.Model.Failover;

namespace LvsPs.Commands;

/// <summary>Resume-LvsDirector: after Suspend-LvsDirector, the director rejoins its failover pair and announces again.</summary>
[Cmdlet(VerbsLifecycle.Resume, "LvsDirector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(FailoverStatus))]
public sealed class ResumeLvsDirectorCommand : FailoverStepCmdlet
{
    private protected override string Target(FailoverStatus status) => $"node {status.Node ?? "(none)"}: suspended {status.Suspended}";

    private protected override string Step => "Rejoin the failover pair";

    private protected override void Take(IFailoverControl failover) => failover.Resume();
}
