using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Reset-LvsStats: zeroes counters of one virtual service or of all (ipvsadm -Z).</summary>
[Cmdlet(VerbsCommon.Reset, "LvsStats", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class ResetLvsStatsCommand : DirectorCmdlet
{
    /// <summary>The service whose counters to zero; all services when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId? VirtualService { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            if (VirtualService is not null && Backend.GetService(VirtualService) is null) throw LvsException.ServiceNotFound(VirtualService);
            var target = VirtualService?.ToString() ?? "all virtual services";
            if (ShouldProcess(target, "Zero counters")) Backend.ZeroStats(VirtualService);
        });
    }
}
