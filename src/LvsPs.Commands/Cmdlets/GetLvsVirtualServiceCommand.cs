using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsVirtualService: lists virtual services with their real servers (ipvsadm -L -n).</summary>
[Cmdlet(VerbsCommon.Get, "LvsVirtualService", DefaultParameterSetName = ListSet)]
[OutputType(typeof(VirtualService))]
public sealed class GetLvsVirtualServiceCommand : DirectorCmdlet
{
    private const string ListSet = "List";
    private const string ThresholdsSet = "Thresholds";
    private const string PersistentSet = "PersistentConnections";

    /// <summary>The PSTypeName that selects the --thresholds view.</summary>
    public const string ThresholdsTypeName = "LvsPs.Model.VirtualService#Thresholds";

    /// <summary>The PSTypeName that selects the --persistent-conn view.</summary>
    public const string PersistentConnTypeName = "LvsPs.Model.VirtualService#PersistentConn";

    /// <summary>Services to get, by identity string or wildcard pattern (tcp/*:80); all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    [SupportsWildcards]
    public string[]? VirtualService { get; set; }

    /// <summary>Lists in the director's own order (ipvsadm --nosort) instead of sorted by protocol, address and port.</summary>
    [Parameter]
    public SwitchParameter NoSort { get; set; }

    /// <summary>Shows the real servers' connection thresholds (ipvsadm -L --thresholds).</summary>
    [Parameter(ParameterSetName = ThresholdsSet)]
    public SwitchParameter Thresholds { get; set; }

    /// <summary>Shows the real servers' persistent connections (ipvsadm -L --persistent-conn).</summary>
    [Parameter(ParameterSetName = PersistentSet)]
    public SwitchParameter PersistentConnections { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var selection = ServiceSelection.From(VirtualService);
            var services = DirectorListing.Services(Backend, NoSort);
            foreach (var service in services)
            {
                if (selection is null || selection.Selects(service)) WriteObject(View(service));
            }
            if (selection is null) return;
            foreach (var id in selection.Missing(services))
            {
                WriteError(ToErrorRecord(LvsException.ServiceNotFound(id)));
            }
        });
    }

    private object View(VirtualService service)
    {
        string? typeName = Thresholds ? ThresholdsTypeName : PersistentConnections ? PersistentConnTypeName : null;
        if (typeName is null) return service;
        var pso = new PSObject(service);
        pso.TypeNames.Insert(0, typeName);
        return pso;
    }
}
