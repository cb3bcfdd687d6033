using System.Management.Automation;
using LvsPs.Configuration;

namespace LvsPs.Commands;

/// <summary>
/// Compare-LvsConfiguration: compares a director document (or ipvsadm rules, or the text Export-LvsConfiguration
/// writes) with the live director, and writes one change object per difference: what Import-LvsConfiguration would do.
/// </summary>
[Cmdlet(VerbsData.Compare, "LvsConfiguration", DefaultParameterSetName = PathSet)]
[OutputType(typeof(ConfigurationChange))]
public sealed class CompareLvsConfigurationCommand : DesiredStateCmdlet
{
    protected override void EndProcessing()
    {
        var desired = ReadDesired();
        if (desired is null) return;
        var plan = Try(() => ReconcilePlanner.Plan(desired, Backend, Prune));
        if (plan is null) return;
        foreach (var difference in plan.Differences) WriteObject(difference);
    }
}
