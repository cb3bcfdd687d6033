using System.Management.Automation;
using LvsPs.Configuration;

namespace LvsPs.Commands;

/// <summary>
/// Import-LvsConfiguration: converges the director to a director document (YAML or JSON) or to ipvsadm rules with the
/// fewest changes, all or nothing. A changed weight or threshold is an edit in place, so established connections
/// survive; services and real servers the document does not name stay unless -Prune is given. Running it twice
/// makes no change the second time.
/// </summary>
[Cmdlet(VerbsData.Import, "LvsConfiguration", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ConfigurationChange))]
public sealed class ImportLvsConfigurationCommand : DesiredStateCmdlet
{
    /// <summary>From this many changes on, the import shows its progress.</summary>
    public const int ProgressThreshold = 20;

    /// <summary>Writes the changes that were made.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var desired = ReadDesired();
        if (desired is null) return;
        var plan = Try(() => ReconcilePlanner.Plan(desired, Backend, Prune));
        if (plan is null) return;
        if (plan.InDesiredState)
        {
            WriteVerbose($"The director is in the state {Source} describes; nothing to change.");
            return;
        }
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var whatIf) && whatIf is SwitchParameter { IsPresent: true })
        {
            // list every change, make none
            foreach (var difference in plan.Differences) ShouldProcess(Target(difference), difference.Description);
            return;
        }
        if (!ShouldProcess(Source, $"Apply {plan.Changes.Count} changes ({plan.Differences.Count} differences)")) return;
        foreach (var difference in plan.Differences) WriteVerbose(difference.Description);
        var progress = new ProgressRecord(1, "Import-LvsConfiguration", $"Applying {plan.Changes.Count} changes from {Source}");
        bool showProgress = plan.Changes.Count >= ProgressThreshold;
        bool ok = Try(() => Model.DirectorChange.ApplyAll(Backend, plan.Changes, showProgress ? n =>
        {
            progress.PercentComplete = (int)(100L * n / plan.Changes.Count);
            progress.StatusDescription = $"{n} of {plan.Changes.Count} changes applied";
            WriteProgress(progress);
        } : null));
        if (showProgress)
        {
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
        }
        if (ok && PassThru) foreach (var difference in plan.Differences) WriteObject(difference);
    }

    private static string Target(ConfigurationChange c) => c.Target switch
    {
        ChangeTarget.RealServer => $"{c.RealServer} in {c.VirtualService}",
        ChangeTarget.VirtualService or ChangeTarget.HealthCheck => c.VirtualService!.ToString(),
        _ => c.Target.ToString(),
    };
}
