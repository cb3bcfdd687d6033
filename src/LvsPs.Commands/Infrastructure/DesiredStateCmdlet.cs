using System.Management.Automation;
using LvsPs.Configuration;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// What Compare-LvsConfiguration and Import-LvsConfiguration share: a desired state read from a file or from text in
/// the pipeline (a YAML or JSON director document, or ipvsadm rules), checked strictly before anything is compared or
/// applied.
/// </summary>
public abstract class DesiredStateCmdlet : DirectorCmdlet
{
    protected const string PathSet = "Path";
    protected const string TextSet = "Text";
    private readonly List<string> _text = new();

    /// <summary>A director document (.yaml, .yml or .json) or a file of ipvsadm rules (what ipvsadm -S writes).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = null!;

    /// <summary>The document or rules as text; lines from the pipeline (such as the output of Export-LvsConfiguration) are joined.</summary>
    [Parameter(Mandatory = true, ParameterSetName = TextSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public string Text { get; set; } = null!;

    /// <summary>The format: Yaml, Json or Ipvsadm. By default it follows the file's extension (.yaml, .yml, .json), else the text itself (ipvsadm rules start with -A).</summary>
    [Parameter]
    [ValidateSet("Yaml", "Json", "Ipvsadm", IgnoreCase = true)]
    public string? Format { get; set; }

    /// <summary>Also counts services and real servers (and sync daemons and health checks) that the document does not name: they are removed.</summary>
    [Parameter]
    public SwitchParameter Prune { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == TextSet) _text.Add(Text);
    }

    /// <summary>Where the desired state came from, for messages.</summary>
    protected string Source { get; private set; } = "";

    /// <summary>Reads and checks the desired state; writes every error and returns null when there is any.</summary>
    protected DesiredDirector? ReadDesired()
    {
        Source = ParameterSetName == PathSet ? GetUnresolvedProviderPathFromPSPath(Path) : "document from the pipeline";
        string text;
        try
        {
            text = ParameterSetName == PathSet ? File.ReadAllText(Source) : string.Join("\n", _text);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(e, "ConfigurationFileUnreadable", ErrorCategory.ReadError, Source));
            return null;
        }
        var format = Format is null
            ? DirectorDocument.DetectFormat(text, ParameterSetName == PathSet ? Source : null)
            : Enum.Parse<DocumentFormat>(Format, ignoreCase: true);
        DirectorDocumentResult result;
        try
        {
            result = DirectorDocument.Load(text, Source, format);
        }
        catch (LvsException e)
        {
            WriteError(ToErrorRecord(e));
            return null;
        }
        foreach (var error in result.Errors) WriteError(ToErrorRecord(error));
        return result.Director;
    }
}
