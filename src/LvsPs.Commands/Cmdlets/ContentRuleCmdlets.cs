using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>What the content-rule cmdlets share: the service's rules, read and written back through Set (ipvsadm -E).</summary>
public abstract class ContentRuleCmdlet : DirectorCmdlet
{
    /// <summary>The virtual service whose content rules to act on: its identity string or an object from Get-LvsVirtualService.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId VirtualService { get; set; } = null!;

    protected bool IsBound(string name) => MyInvocation.BoundParameters.ContainsKey(name);

    protected VirtualService Current() => Backend.GetService(VirtualService) ?? throw LvsException.ServiceNotFound(VirtualService);

    protected static LvsException NoSuchRule(VirtualServiceId id, int order, int count) =>
        new(LvsErrorKind.NotFound, "ContentRuleNotFound", $"Virtual service '{id}' has no content rule {order}; it has {count} (1..{count}).", order);

    /// <summary>Writes the service's rules back, validated in the model; the director changes nothing when it refuses.</summary>
    protected void Save(VirtualService service, List<ContentRule> rules) =>
        Backend.EditService((service.Settings with { ContentRules = rules }).Validate());

    protected void WriteRules(VirtualServiceId id)
    {
        var service = Backend.GetService(id);
        if (service is null) return;
        for (int i = 0; i < service.ContentRules.Count; i++) WriteObject(new LvsContentRule(id, i + 1, service.ContentRules[i]));
    }
}

/// <summary>New-LvsContentRule: adds a content rule to a virtual service (checked in order on the start of each connection).</summary>
[Cmdlet(VerbsCommon.New, "LvsContentRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LvsContentRule))]
public sealed class NewLvsContentRuleCommand : ContentRuleCmdlet
{
    /// <summary>What the rule looks at: Host, PathPrefix, PathRegex, Header, Method, Cookie (HTTP/1.x) or Sni (TLS).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    public ContentMatch Match { get; set; }

    /// <summary>What to compare with: a host or SNI name (*.example.com for every name under a domain), a path prefix
    /// starting with '/', a .NET regular expression, an HTTP method, or the header's or cookie's value.</summary>
    [Parameter(Mandatory = true, Position = 2, ValueFromPipelineByPropertyName = true)]
    public string Pattern { get; set; } = null!;

    /// <summary>The group of real servers a match sends the connection to (Add-LvsRealServer -Group).</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string Group { get; set; } = null!;

    /// <summary>The header's or cookie's name, for -Match Header or Cookie.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Name { get; set; }

    /// <summary>Where to put the rule, from 1 (the first checked); after the last by default.</summary>
    [Parameter]
    [ValidateRange(1, VirtualServiceSettings.MaxContentRules)]
    public int Order { get; set; }

    /// <summary>Writes the new rule.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var service = Current();
            var rule = new ContentRule { Match = Match, Pattern = Pattern, Group = Group, Name = string.IsNullOrEmpty(Name) ? null : Name }.Validate();
            var rules = service.ContentRules.ToList();
            int at = IsBound(nameof(Order)) ? Math.Min(Order, rules.Count + 1) : rules.Count + 1;
            rules.Insert(at - 1, rule);
            if (ShouldProcess(VirtualService.ToString(), $"Add content rule {at}: {rule}"))
            {
                Save(service, rules);
                if (PassThru) WriteObject(new LvsContentRule(VirtualService, at, rule));
            }
        });
    }
}

/// <summary>Get-LvsContentRule: the content rules of virtual services, in the order they are checked.</summary>
[Cmdlet(VerbsCommon.Get, "LvsContentRule")]
[OutputType(typeof(LvsContentRule))]
public sealed class GetLvsContentRuleCommand : DirectorCmdlet
{
    /// <summary>The services whose rules to list; every service when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId[]? VirtualService { get; set; }

    /// <summary>Only the rules that send connections to this group.</summary>
    [Parameter]
    public string? Group { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var services = VirtualService is { Length: > 0 } ids
                ? ids.Select(id => Backend.GetService(id) ?? throw LvsException.ServiceNotFound(id)).ToList()
                : Backend.GetServices().ToList();
            foreach (var s in services)
            {
                for (int i = 0; i < s.ContentRules.Count; i++)
                {
                    if (Group is null || string.Equals(s.ContentRules[i].Group, Group, StringComparison.Ordinal)) WriteObject(new LvsContentRule(s.Settings.Id, i + 1, s.ContentRules[i]));
                }
            }
        });
    }
}

/// <summary>Set-LvsContentRule: changes a content rule in place, or moves it to another place in the order.</summary>
[Cmdlet(VerbsCommon.Set, "LvsContentRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(LvsContentRule))]
public sealed class SetLvsContentRuleCommand : ContentRuleCmdlet
{
    /// <summary>The rule to change, by its place in the order (Get-LvsContentRule shows it).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, VirtualServiceSettings.MaxContentRules)]
    public int Order { get; set; }

    /// <summary>A new match kind: Host, PathPrefix, PathRegex, Header, Method, Cookie or Sni.</summary>
    [Parameter]
    public ContentMatch Match { get; set; }

    /// <summary>A new pattern.</summary>
    [Parameter]
    public string? Pattern { get; set; }

    /// <summary>A new group.</summary>
    [Parameter]
    public string? Group { get; set; }

    /// <summary>A new header or cookie name (empty for none).</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Name { get; set; }

    /// <summary>Moves the rule to this place in the order, from 1.</summary>
    [Parameter]
    [ValidateRange(1, VirtualServiceSettings.MaxContentRules)]
    public int NewOrder { get; set; }

    /// <summary>Writes the changed rule.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var service = Current();
            var rules = service.ContentRules.ToList();
            if (Order > rules.Count) throw NoSuchRule(VirtualService, Order, rules.Count);
            var old = rules[Order - 1];
            var rule = old;
            if (IsBound(nameof(Match))) rule = rule with { Match = Match };
            if (IsBound(nameof(Pattern))) rule = rule with { Pattern = Pattern ?? "" };
            if (IsBound(nameof(Group))) rule = rule with { Group = Group ?? "" };
            if (IsBound(nameof(Name))) rule = rule with { Name = string.IsNullOrEmpty(Name) ? null : Name };
            rule.Validate();
            rules.RemoveAt(Order - 1);
            int at = IsBound(nameof(NewOrder)) ? Math.Min(NewOrder, rules.Count + 1) : Order;
            rules.Insert(at - 1, rule);
            if (rules.SequenceEqual(service.ContentRules))
            {
                WriteVerbose($"Content rule {Order} of '{VirtualService}' is already {rule}.");
            }
            else if (ShouldProcess(VirtualService.ToString(), $"Change content rule {Order} from '{old}' to {(at != Order ? $"rule {at}, " : "")}'{rule}'"))
            {
                Save(service, rules);
            }
            if (PassThru) WriteObject(new LvsContentRule(VirtualService, at, rule));
        });
    }
}

/// <summary>Remove-LvsContentRule: removes content rules from a virtual service (from the pipeline too: all of them at the end).</summary>
[Cmdlet(VerbsCommon.Remove, "LvsContentRule", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveLvsContentRuleCommand : ContentRuleCmdlet
{
    private readonly Dictionary<VirtualServiceId, SortedSet<int>> _pending = new();

    /// <summary>The rules to remove, by their place in the order (Get-LvsContentRule shows it).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, VirtualServiceSettings.MaxContentRules)]
    public int[] Order { get; set; } = null!;

    protected override void ProcessRecord()
    {
        // rules piped from Get-LvsContentRule are removed together at the end, so earlier removals do not renumber later ones
        if (!_pending.TryGetValue(VirtualService, out var set)) _pending[VirtualService] = set = new SortedSet<int>();
        foreach (var o in Order) set.Add(o);
    }

    protected override void EndProcessing()
    {
        foreach (var (id, orders) in _pending)
        {
            VirtualService = id;
            Try(() =>
            {
                var service = Current();
                var rules = service.ContentRules.ToList();
                foreach (var o in orders)
                {
                    if (o > rules.Count) throw NoSuchRule(id, o, rules.Count);
                }
                var removed = string.Join("; ", orders.Select(o => $"{o}: {rules[o - 1]}"));
                foreach (var o in orders.Reverse()) rules.RemoveAt(o - 1);
                if (ShouldProcess(id.ToString(), $"Remove content rule {removed}")) Save(service, rules);
            });
        }
        base.EndProcessing();
    }
}
