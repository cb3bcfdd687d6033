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
            var services = VirtualService is null
                ? Backend.GetServices()
                : new[] { Backend.GetService(VirtualService) ?? throw LvsException.ServiceNotFound(VirtualService) };
            var target = VirtualService?.ToString() ?? "all virtual services";
            var total = services.Aggregate(LvsStats.Zero, (sum, s) => sum + s.Stats);
            if (ShouldProcess(target, $"Zero counters: {WhatIfText.Counters(total)} -> 0")) Backend.ZeroStats(VirtualService);
        });
    }
}
