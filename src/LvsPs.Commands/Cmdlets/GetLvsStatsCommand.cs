using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsStats: counters per virtual service and real server (ipvsadm -L --stats, or --rate with -Rate).</summary>
[Cmdlet(VerbsCommon.Get, "LvsStats")]
[OutputType(typeof(LvsStatsRecord))]
public sealed class GetLvsStatsCommand : DirectorCmdlet
{
    /// <summary>The PSTypeName that selects the --rate view.</summary>
    public const string RateTypeName = "LvsPs.Model.LvsStatsRecord#Rate";

    /// <summary>The PSTypeName that selects the --stats --exact view.</summary>
    public const string ExactTypeName = "LvsPs.Model.LvsStatsRecord#Exact";

    /// <summary>The PSTypeName that selects the --rate --exact view.</summary>
    public const string RateExactTypeName = "LvsPs.Model.LvsStatsRecord#RateExact";

    /// <summary>The services whose counters to get, by identity string or wildcard pattern (tcp/*:80); all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    [SupportsWildcards]
    public string[]? VirtualService { get; set; }

    /// <summary>Show rates (connections, packets and bytes per second) instead of totals.</summary>
    [Parameter]
    public SwitchParameter Rate { get; set; }

    /// <summary>Show every counter in full (ipvsadm --exact) instead of abbreviated with K, M, G and T from 100 million on.</summary>
    [Parameter]
    public SwitchParameter Exact { get; set; }

    /// <summary>Lists in the director's own order (ipvsadm --nosort) instead of sorted as ipvsadm -L sorts.</summary>
    [Parameter]
    public SwitchParameter NoSort { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var selection = ServiceSelection.From(VirtualService);
            var listed = DirectorListing.Services(Backend, NoSort);
            string? typeName = Rate ? (Exact ? RateExactTypeName : RateTypeName) : Exact ? ExactTypeName : null;
            foreach (var record in listed.Where(s => selection is null || selection.Selects(s)).SelectMany(LvsStatsRecord.For))
            {
                if (typeName is null)
                {
                    WriteObject(record);
                    continue;
                }
                var pso = new PSObject(record);
                pso.TypeNames.Insert(0, typeName);
                WriteObject(pso);
            }
            if (selection is null) return;
            foreach (var id in selection.Missing(listed)) WriteError(ToErrorRecord(LvsException.ServiceNotFound(id)));
        });
    }
}
