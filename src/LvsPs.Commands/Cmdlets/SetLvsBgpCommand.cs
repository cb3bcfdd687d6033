using System.Collections;
using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Commands;

/// <summary>
/// Set-LvsBgp: makes the director announce its virtual services' addresses over BGP as a member of a scale-out group,
/// changes the group's settings (the ones given; the others stay), or with -Remove stops announcing. The director
/// service then drives BIRD. Takes Get-LvsBgp's objects (and their CSV or JSON) by property name.
/// </summary>
[Cmdlet(VerbsCommon.Set, "LvsBgp", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "Settings")]
[OutputType(typeof(BgpStatus))]
public sealed class SetLvsBgpCommand : SettingsSectionCmdlet<BgpSettings>
{
    /// <summary>The directors' AS number (bgp.as), 1..4294967295 except 23456; 0 when every node has its own.</summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    public uint As { get; set; }

    /// <summary>
    /// The routers to announce to (bgp.neighbors): each 'ADDRESS as AS' as Get-LvsBgp writes it (a comma-separated list
    /// in one string too, as a CSV cell holds it), or an object or hashtable with Address and As.
    /// </summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BgpSettingCompleter))]
    public object[]? Neighbors { get; set; }

    /// <summary>
    /// The directors of the group (bgp.nodes): each 'NAME ROUTERID' or 'NAME ROUTERID as AS' as Get-LvsBgp writes it (a
    /// comma-separated list in one string too), or an object or hashtable with Name, RouterId and optionally As.
    /// </summary>
    [Parameter(ParameterSetName = "Settings", ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(BgpSettingCompleter))]
    public object[]? Nodes { get; set; }

    private protected override BgpSettings? Current() => Bgp.GetBgp();

    private protected override void Apply(BgpSettings? settings) => Bgp.SetBgp(settings);

    private protected override BgpSettings Empty => new();

    private protected override BgpSettings Edit(BgpSettings want)
    {
        var bound = MyInvocation.BoundParameters;
        if (bound.ContainsKey(nameof(As))) want = want with { As = As };
        if (bound.ContainsKey(nameof(Neighbors)))
        {
            want = want with { Neighbors = Arguments.TextForms(Neighbors, BgpNeighbor.Parse, o => $"{Arguments.Property(o, "Address")} as {Arguments.Property(o, "As")}") };
        }
        if (bound.ContainsKey(nameof(Nodes)))
        {
            want = want with
            {
                Nodes = Arguments.TextForms(Nodes, BgpNode.Parse, o => $"{Arguments.Property(o, "Name")} {Arguments.Property(o, "RouterId")}" +
                    (Arguments.Property(o, "As") is { Length: > 0 } asn && asn != "0" ? $" as {asn}" : "")),
            };
        }
        return want;
    }

    private protected override BgpSettings Validate(BgpSettings want) => want.Validate();

    private protected override IReadOnlyList<(string Key, string? From, string? To)> Differences(BgpSettings from, BgpSettings to) => from.Differences(to);

    private protected override string Describe(BgpSettings settings, bool full) =>
        "BGP announcements to " + string.Join(", ", settings.Neighbors) + (full ? " from nodes " + string.Join(", ", settings.Nodes) : "");

    private protected override (string Join, string Change, string Leave) Actions => ("Announce over BGP", "Change the BGP announcements", "Stop announcing over BGP");

    private protected override string? Problem() => Bgp.GetBgpStatus()?.Problem;

    private protected override object? Result() => Bgp.GetBgpStatus();

    private IBgpControl Bgp => DirectorChange.BgpOf(Backend);
}

/// <summary>Completes -Neighbors and -Nodes of Set-LvsBgp with the director's current entries, as the text forms the cmdlet reads.</summary>
public sealed class BgpSettingCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, System.Management.Automation.Language.CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        if (LvsSession.CurrentIfRunning is not IBgpControl bgp) return Array.Empty<CompletionResult>();
        BgpSettings? settings;
        try
        {
            settings = bgp.GetBgp();
        }
        catch (LvsException)
        {
            return Array.Empty<CompletionResult>();
        }
        if (settings is null) return Array.Empty<CompletionResult>();
        IEnumerable<string> entries = string.Equals(parameterName, "Nodes", StringComparison.OrdinalIgnoreCase)
            ? settings.Nodes.Select(n => n.ToString()) : settings.Neighbors.Select(n => n.ToString());
        var word = (wordToComplete ?? string.Empty).Trim('\'', '"');
        return entries.Where(e => e.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            .Select(e => new CompletionResult("'" + e + "'", e, CompletionResultType.ParameterValue, e)).ToArray();
    }
}
