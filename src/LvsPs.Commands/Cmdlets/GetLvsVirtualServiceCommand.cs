using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsVirtualService: lists virtual services with their real servers (ipvsadm -L -n).</summary>
[Cmdlet(VerbsCommon.Get, "LvsVirtualService")]
[OutputType(typeof(VirtualService))]
public sealed class GetLvsVirtualServiceCommand : DirectorCmdlet
{
    /// <summary>Services to get; all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId[]? VirtualService { get; set; }

    protected override void ProcessRecord()
    {
        if (VirtualService is null || VirtualService.Length == 0)
        {
            Try(() => WriteObject(Backend.GetServices(), enumerateCollection: true));
            return;
        }
        foreach (var id in VirtualService)
        {
            Try(() =>
            {
                var service = Backend.GetService(id) ?? throw LvsException.ServiceNotFound(id);
                WriteObject(service);
            });
        }
    }
}
