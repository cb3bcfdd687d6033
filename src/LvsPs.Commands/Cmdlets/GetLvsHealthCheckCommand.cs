using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Commands;

/// <summary>Get-LvsHealthCheck: the health checks and sorry servers of virtual services.</summary>
[Cmdlet(VerbsCommon.Get, "LvsHealthCheck")]
[OutputType(typeof(ServiceHealthCheck))]
public sealed class GetLvsHealthCheckCommand : DirectorCmdlet
{
    /// <summary>The services whose checks to get; all services with a check when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId[]? VirtualService { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var monitoring = HealthMonitoring;
            var ids = VirtualService is { Length: > 0 } given ? given : Backend.GetServices().Select(s => s.Settings.Id).ToArray();
            foreach (var id in ids)
            {
                if (VirtualService is { Length: > 0 } && Backend.GetService(id) is null) throw LvsException.ServiceNotFound(id);
                if (monitoring.GetHealthCheck(id) is ({ } check, var sorry)) WriteObject(new ServiceHealthCheck(id, check, sorry));
            }
        });
    }
}
