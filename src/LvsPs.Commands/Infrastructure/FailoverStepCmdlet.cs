using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Commands;

/// <summary>
/// Suspend-LvsDirector and Resume-LvsDirector: one step of a director's part in its failover pair, asked of the
/// director's failover capability after -WhatIf / -Confirm, with where it stands afterwards on -PassThru.
/// </summary>
public abstract class FailoverStepCmdlet : DirectorCmdlet
{
    /// <summary>Writes where the director stands afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>The target as -WhatIf names it, from where the director stands now.</summary>
    private protected abstract string Target(FailoverStatus status);

    /// <summary>The step as -WhatIf names it.</summary>
    private protected abstract string Step { get; }

    private protected abstract void Take(IFailoverControl failover);

    protected override void EndProcessing()
    {
        Try(() =>
        {
            var failover = DirectorChange.FailoverOf(Backend);
            if (ShouldProcess(Target(failover.GetFailoverStatus()), Step)) Take(failover);
            if (PassThru) WriteObject(failover.GetFailoverStatus());
        });
    }
}
