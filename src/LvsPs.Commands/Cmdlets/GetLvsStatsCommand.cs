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

    /// <summary>The services whose counters to get; all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId[]? VirtualService { get; set; }

    /// <summary>Show rates (connections, packets and bytes per second) instead of totals.</summary>
    [Parameter]
    public SwitchParameter Rate { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            IEnumerable<VirtualService> services = VirtualService is null || VirtualService.Length == 0
                ? Backend.GetServices()
                : VirtualService.Select(id => Backend.GetService(id) ?? throw LvsException.ServiceNotFound(id)).ToList();
            foreach (var record in services.SelectMany(LvsStatsRecord.For))
            {
                if (Rate)
                {
                    var pso = new PSObject(record);
                    pso.TypeNames.Insert(0, RateTypeName);
                    WriteObject(pso);
                }
                else
                {
                    WriteObject(record);
                }
            }
        });
    }
}
