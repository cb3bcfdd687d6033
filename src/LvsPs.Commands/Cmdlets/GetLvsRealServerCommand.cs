using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsRealServer: lists real servers, of one virtual service or of all.</summary>
[Cmdlet(VerbsCommon.Get, "LvsRealServer")]
[OutputType(typeof(RealServer))]
public sealed class GetLvsRealServerCommand : DirectorCmdlet
{
    /// <summary>The virtual services whose real servers to list, by identity string or wildcard pattern; all services when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    [SupportsWildcards]
    public string[]? VirtualService { get; set; }

    /// <summary>Only real servers with this address, or ADDRESS:PORT as ipvsadm -r takes it (10.0.0.2:80, [2001:db8::2]:80), or a wildcard pattern (10.0.0.*).</summary>
    [Parameter(Position = 1)]
    [ArgumentCompleter(typeof(RealServerAddressCompleter))]
    [SupportsWildcards]
    public string? Address { get; set; }

    /// <summary>Only real servers on this port.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PortCompleter))]
    [ValidateRange(-1, 65535)]
    public int Port { get; set; } = -1;

    /// <summary>Lists in the director's own order (ipvsadm --nosort) instead of sorted by service, then address and port.</summary>
    [Parameter]
    public SwitchParameter NoSort { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var services = ServiceSelection.From(VirtualService);
            var servers = RealServerSelection.From(Address);
            var listed = DirectorListing.Services(Backend, NoSort);
            foreach (var rs in listed.Where(s => services is null || services.Selects(s)).SelectMany(s => s.RealServers))
            {
                if (servers is not null && !servers.Selects(rs)) continue;
                if (Port >= 0 && rs.Port != Port) continue;
                WriteObject(rs);
            }
            if (services is null) return;
            foreach (var id in services.Missing(listed)) WriteError(ToErrorRecord(LvsException.ServiceNotFound(id)));
        });
    }
}
