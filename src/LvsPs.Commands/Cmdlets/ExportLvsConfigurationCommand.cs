using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Export-LvsConfiguration: writes the director's table as rules (-Format Ipvsadm: exactly what ipvsadm -S -n writes).</summary>
[Cmdlet(VerbsData.Export, "LvsConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string))]
public sealed class ExportLvsConfigurationCommand : DirectorCmdlet
{
    /// <summary>The format: Ipvsadm, the rule format of ipvsadm -S -n, which ipvsadm -R and Import-LvsConfiguration read.</summary>
    [Parameter(Mandatory = true)]
    [ValidateSet("Ipvsadm", IgnoreCase = true)]
    public string Format { get; set; } = "Ipvsadm";

    /// <summary>A file to write instead of writing the text to the pipeline.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void EndProcessing()
    {
        var services = Try(() => Backend.GetServices());
        if (services is null) return;
        var text = IpvsadmRules.Format(services);
        if (Path is null)
        {
            WriteObject(text);
            return;
        }
        var full = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(full, "Write ipvsadm rules")) return;
        File.WriteAllText(full, text);
    }
}
