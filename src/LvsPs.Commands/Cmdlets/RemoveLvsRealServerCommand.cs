using System.Management.Automation;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Remove-LvsRealServer: removes a real server (ipvsadm -d); its established connections finish.</summary>
[Cmdlet(VerbsCommon.Remove, "LvsRealServer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveLvsRealServerCommand : LvsCmdlet
{
    /// <summary>The virtual service: its identity string or an object from Get-LvsVirtualService.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [VirtualServiceTransformation]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId VirtualService { get; set; } = null!;

    /// <summary>The real server's address.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [IPAddressTransformation]
    [ArgumentCompleter(typeof(RealServerAddressCompleter))]
    [Alias("RealServerAddress", "RIP")]
    public IPAddress Address { get; set; } = null!;

    /// <summary>The real server's port; defaults to the virtual service's port.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Port { get; set; } = -1;

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var id = RealServerId.Create(Address, NewLvsVirtualServiceCommand.CheckedPort(Port >= 0 ? Port : VirtualService.Port));
            var service = Director.GetService(VirtualService) ?? throw LvsException.ServiceNotFound(VirtualService);
            if (!service.RealServers.Any(r => r.Id == id)) throw LvsException.RealServerNotFound(VirtualService, id);
            if (ShouldProcess($"{id} in {VirtualService}", "Remove real server")) Director.DeleteRealServer(VirtualService, id);
        });
    }
}
