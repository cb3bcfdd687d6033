using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// Import-LvsConfiguration: adds the services and real servers of ipvsadm rules (what ipvsadm -S or ipvsadm-save
/// wrote) to the director, all or nothing (as ipvsadm -R, but a failure undoes the rules already applied).
/// </summary>
[Cmdlet(VerbsData.Import, "LvsConfiguration", DefaultParameterSetName = PathSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class ImportLvsConfigurationCommand : DirectorCmdlet
{
    private const string PathSet = "Path";
    private const string TextSet = "Text";
    private readonly List<string> _text = new();

    /// <summary>A file of ipvsadm rules.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>The rules as text (lines from the pipeline are joined).</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Text { get; set; } = null!;

    /// <summary>The format of the rules: Ipvsadm.</summary>
    [Parameter]
    [ValidateSet("Ipvsadm", IgnoreCase = true)]
    public string Format { get; set; } = "Ipvsadm";

    protected override void ProcessRecord()
    {
        if (ParameterSetName == TextSet) _text.Add(Text);
    }

    protected override void EndProcessing()
    {
        string source = ParameterSetName == PathSet ? GetUnresolvedProviderPathFromPSPath(Path) : "rules from the pipeline";
        string text;
        try
        {
            text = ParameterSetName == PathSet ? File.ReadAllText(source) : string.Join("\n", _text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "ConfigurationFileUnreadable", ErrorCategory.ReadError, source));
            return;
        }
        var changes = Try(() => IpvsadmRules.Parse(text));
        if (changes is null) return;
        int services = changes.Count(c => c is DirectorChange.AddService);
        if (!ShouldProcess(source, $"Add {services} virtual services and {changes.Count - services} real servers")) return;
        Try(() => DirectorChange.ApplyAll(Backend, changes));
    }
}
