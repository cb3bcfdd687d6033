using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Remove-LvsHealthCheck: stops checking a virtual service's real servers; quiesced or removed ones are restored at their configured weight.</summary>
[Cmdlet(VerbsCommon.Remove, "LvsHealthCheck", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveLvsHealthCheckCommand : DirectorCmdlet
{
    /// <summary>The virtual service whose health check to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId VirtualService { get; set; } = null!;

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var monitoring = HealthMonitoring;
            if (Backend.GetService(VirtualService) is null) throw LvsException.ServiceNotFound(VirtualService);
            var (check, _) = monitoring.GetHealthCheck(VirtualService);
            if (check is null)
            {
                throw new LvsException(LvsErrorKind.NotFound, "HealthCheckNotFound", $"Virtual service '{VirtualService}' has no health check.", VirtualService);
            }
            if (ShouldProcess(VirtualService.ToString(), $"Remove health check (restores any real server it took out): {new LvsPs.Model.Health.ServiceHealthCheck(VirtualService, check, null).Target} every {check.IntervalSeconds} s -> {WhatIfText.None}")) monitoring.SetHealthCheck(VirtualService, null, null);
        });
    }
}
