using System.Management.Automation;
using LvsPs.Configuration;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// Export-LvsConfiguration: writes the live director as a director document (YAML, the default, or JSON), which
/// Import-LvsConfiguration and Compare-LvsConfiguration read, or as ipvsadm rules (-Format Ipvsadm: exactly what
/// ipvsadm -S -n writes, which ipvsadm -R reads).
/// </summary>
[Cmdlet(VerbsData.Export, "LvsConfiguration", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(string))]
public sealed class ExportLvsConfigurationCommand : DirectorCmdlet
{
    /// <summary>
    /// The format: Yaml or Json, a director document; or Ipvsadm, the rule format of ipvsadm -S -n. When omitted, a
    /// -Path ending in .json gets Json and one ending in .rules gets Ipvsadm; anything else gets Yaml.
    /// </summary>
    [Parameter]
    [ValidateSet("Yaml", "Json", "Ipvsadm", IgnoreCase = true)]
    public string Format { get; set; } = "Yaml";

    /// <summary>A file to write instead of writing the text to the pipeline.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    protected override void EndProcessing()
    {
        if (!MyInvocation.BoundParameters.ContainsKey(nameof(Format)) && Path is not null) Format = FormatFor(Path);
        var text = Try(() => Render(Backend, Enum.Parse<DocumentFormat>(Format, ignoreCase: true)));
        if (text is null) return;
        if (Path is null)
        {
            WriteObject(text);
            return;
        }
        var full = GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(full, $"Write the director's configuration ({Format})")) return;
        // a whole file or none (a reader never sees half a document), through a temporary that never follows a link;
        // readable by others as an ordinary export is (0644, less the umask)
        LvsPs.Model.IO.AtomicFile.WriteText(full, text, LvsPs.Model.IO.AtomicFile.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    /// <summary>The format a path's extension names: .json is Json, .rules (as /etc/ipvsadm.rules) is Ipvsadm, else Yaml.</summary>
    public static string FormatFor(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => "Json",
        ".rules" => "Ipvsadm",
        _ => "Yaml",
    };

    /// <summary>The director's configuration as text in <paramref name="format"/>.</summary>
    public static string Render(IDirectorBackend director, DocumentFormat format)
    {
        if (format == DocumentFormat.Ipvsadm) return IpvsadmRules.Format(DirectorConfiguration.Capture(director));
        var failover = (director as LvsPs.Model.Failover.IFailoverControl)?.GetFailover();
        // the failover pair's own sync daemons follow its role on each node: they are the pair's (its connectionSync), not the document's syncDaemons
        var daemons = director.GetSyncDaemons().Where(d => failover?.Owns(d) != true).ToList();
        var document = DirectorDocument.Write(DirectorConfiguration.Capture(director), daemons, failover, (director as LvsPs.Model.Failover.IBgpControl)?.GetBgp());
        return format == DocumentFormat.Json
            ? JsonText.Write(document)
            : YamlCodec.Current.Emit(document, $"LvsPs director document, exported from a {director.GetInfo().Kind} director.\nImport-LvsConfiguration -Path <this file> converges a director to it (see docs/desired-state.md).");
    }
}
