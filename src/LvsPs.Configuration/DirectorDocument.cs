using LvsPs.Model;
using LvsPs.Model.Settings;

namespace LvsPs.Configuration;

/// <summary>
/// The director document: reads it strictly (every unknown key, wrong type, bad value and duplicate is an error with
/// file, line and column) and writes a live director as one. Keys are the cmdlets' parameter names in camelCase, and
/// are matched without regard to case. See docs/desired-state.md and docs/lvsps-director.schema.json.
/// Its parts: format detection (.Format), the ipvsadm adapter (.Ipvsadm), the reader (.Reader, .Reader.Values), the
/// writer (.Writer) and the failover and bgp sections (.Failover).
/// </summary>
public static partial class DirectorDocument
{
    // the keys of each level, in document order: the settings vocabulary's (LvsPs.Model.Settings.SettingCatalog)
    public static readonly string[] TopKeys = SettingCatalog.Keys(SettingLevel.Director);
    public static readonly string[] ServiceKeys = SettingCatalog.Keys(SettingLevel.Service);
    public static readonly string[] RealServerKeys = SettingCatalog.Keys(SettingLevel.RealServer);
    public static readonly string[] ContentRuleKeys = SettingCatalog.Keys(SettingLevel.ContentRule);
    public static readonly string[] TimeoutKeys = SettingCatalog.Keys(SettingLevel.Timeouts);
    public static readonly string[] SyncDaemonKeys = SettingCatalog.Keys(SettingLevel.SyncDaemon);
    public static readonly string[] HealthCheckKeys = SettingCatalog.Keys(SettingLevel.HealthCheck);

    /// <summary>Parses and checks a YAML or JSON director document.</summary>
    public static DirectorDocumentResult Load(string text, string source)
    {
        if (text.Length > DocumentLimits.MaxLength) return new DirectorDocumentResult(null, new[] { DocumentLimits.TooLarge(source, text.Length) });
        if (string.IsNullOrWhiteSpace(text)) return new DirectorDocumentResult(null, new[] { EmptyDocument(source) });
        DocNode? root;
        try
        {
            root = YamlCodec.Current.Parse(text, source);
        }
        catch (LvsException e) when (e.ErrorId is "InvalidDirectorDocument" or "DocumentTooDeep" or "DocumentTooLarge")
        {
            return new DirectorDocumentResult(null, new[] { e });
        }
        return Read(root, source);
    }

    /// <summary>Checks a parsed document and turns it into a desired state.</summary>
    public static DirectorDocumentResult Read(DocNode? root, string source)
    {
        if (root is null or DocScalar { Kind: DocScalarKind.Null }) return new DirectorDocumentResult(null, new[] { EmptyDocument(source) });
        var reader = new Reader(source);
        var director = reader.ReadDirector(root);
        return reader.Errors.Count == 0 ? new DirectorDocumentResult(director, reader.Errors) : new DirectorDocumentResult(null, reader.Errors);
    }

    /// <summary>
    /// An empty, blank or null document (or no ipvsadm rules): an error, never "the desired state is nothing", which
    /// with -Prune would remove every service. A document says "no services" on purpose with <c>virtualServices: []</c>.
    /// </summary>
    private static LvsException EmptyDocument(string source) => LvsException.InvalidArgument("EmptyDirectorDocument",
        $"{ValueText.Cut(source)}: the document is empty (or null): it describes no director. To remove every virtual service on purpose, import a document that says so: 'virtualServices: []' with -Prune.", source);
}
