using System.Management.Automation;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsRealServer: lists real servers, of one virtual service or of all.</summary>
[Cmdlet(VerbsCommon.Get, "LvsRealServer")]
[OutputType(typeof(RealServer))]
public sealed class GetLvsRealServerCommand : DirectorCmdlet
{
    /// <summary>The virtual service whose real servers to list; all services when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId? VirtualService { get; set; }

    /// <summary>Only real servers with this address.</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(RealServerAddressCompleter))]
    public string? Address { get; set; }

    /// <summary>Only real servers on this port.</summary>
    [Parameter]
    public int Port { get; set; } = -1;

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var address = Address is null ? null : Arguments.ParseAddress(Address, "real server address");
            IEnumerable<VirtualService> services = VirtualService is null
                ? Backend.GetServices()
                : new[] { Backend.GetService(VirtualService) ?? throw LvsException.ServiceNotFound(VirtualService) };
            foreach (var rs in services.SelectMany(s => s.RealServers))
            {
                if (address is not null && !rs.Address.Equals(address)) continue;
                if (Port >= 0 && rs.Port != Port) continue;
                WriteObject(rs);
            }
        });
    }
}
