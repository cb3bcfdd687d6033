using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsConnection: the director's connection table (ipvsadm -L -c), optionally for one virtual service.</summary>
[Cmdlet(VerbsCommon.Get, "LvsConnection")]
[OutputType(typeof(LvsConnection))]
public sealed class GetLvsConnectionCommand : DirectorCmdlet
{
    /// <summary>Only connections to this virtual service's address and port (address services only).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public VirtualServiceId? VirtualService { get; set; }

    /// <summary>Include persistence templates (entries with state NONE).</summary>
    [Parameter]
    public SwitchParameter IncludeTemplate { get; set; }

    protected override void ProcessRecord()
    {
        var connections = Try(() => Backend.GetConnections());
        if (connections is null) return;
        foreach (var c in connections)
        {
            if (c.Template && !IncludeTemplate) continue;
            if (VirtualService is { IsFirewallMark: false } id &&
                (c.Protocol != id.Protocol || !SameAddress(c.VirtualAddress, id.Address) || c.VirtualPort != id.Port)) continue;
            WriteObject(c);
        }
    }

    /// <summary>The connection's address (text) is the service's address (compared as addresses, not as text).</summary>
    private static bool SameAddress(string text, System.Net.IPAddress? address) =>
        address is not null && System.Net.IPAddress.TryParse(text, out var parsed) && parsed.Equals(address);
}
