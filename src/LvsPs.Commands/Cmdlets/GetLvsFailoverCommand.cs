using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Commands;

/// <summary>Get-LvsFailover: the director's failover pair settings, or with -Status where it stands in the pair.</summary>
[Cmdlet(VerbsCommon.Get, "LvsFailover", DefaultParameterSetName = "Settings")]
[OutputType(typeof(FailoverSettings), ParameterSetName = new[] { "Settings" })]
[OutputType(typeof(FailoverStatus), ParameterSetName = new[] { "Status" })]
public sealed class GetLvsFailoverCommand : DirectorCmdlet
{
    /// <summary>Writes this director's role, peers, last transition and any problem instead of the settings.</summary>
    [Parameter(ParameterSetName = "Status", Mandatory = true)]
    public SwitchParameter Status { get; set; }

    protected override void EndProcessing()
    {
        Try(() =>
        {
            var failover = DirectorChange.FailoverOf(Backend);
            if (Status) WriteObject(failover.GetFailoverStatus());
            else if (failover.GetFailover() is { } settings) WriteObject(settings);
        });
    }
}
