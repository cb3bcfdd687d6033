using System.Management.Automation;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Preview;

namespace LvsPs.Commands;

/// <summary>
/// Test-LvsScheduling: previews scheduling for an existing or a proposed virtual service without creating a
/// connection or changing any scheduler state. It simulates on a copy: for a managed service (in this session or in a
/// director service), a copy of its live state (scheduler cursor, hash tables, lblc caches, persistence templates,
/// connection counters).
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "LvsScheduling")]
[OutputType(typeof(SchedulingPreview), typeof(SchedulingShare))]
public sealed class TestLvsSchedulingCommand : DirectorCmdlet
{
    /// <summary>The virtual service to preview. If it does not exist, give -Scheduler and -RealServer to preview a proposed one.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(VirtualServiceCompleter))]
    public VirtualServiceId VirtualService { get; set; } = null!;

    /// <summary>The client addresses whose new connections to preview. With -Count, the simulated requests cycle through them; without, 100 distinct clients are made up.</summary>
    [Parameter(Position = 1)]
    public string[]? ClientAddress { get; set; }

    /// <summary>The client's source port (what sh-port and mh-port hash); with -Count it goes up by one per request.</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int ClientPort { get; set; } = 40000;

    /// <summary>The destination port of the packets; the service's port by default (for a firewall-mark service, give the port the clients use).</summary>
    [Parameter]
    [ValidateRange(0, 65535)]
    public int DestinationPort { get; set; } = -1;

    /// <summary>Simulates this many requests in a row, each kept open as an active connection on the copy, and outputs how they would be shared.</summary>
    [Parameter]
    [ValidateRange(1, 10_000_000)]
    public int Count { get; set; }

    /// <summary>A scheduler to preview instead of the service's own (a proposed change).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(SchedulerCompleter))]
    public string? Scheduler { get; set; }

    /// <summary>Scheduler flags to preview instead of the service's own (Fallback, Port).</summary>
    [Parameter]
    public SchedulerFlags? SchedulerFlags { get; set; }

    /// <summary>A persistence timeout in seconds to preview instead of the service's own (0: not persistent).</summary>
    [Parameter]
    public uint? PersistenceTimeout { get; set; }

    /// <summary>Real servers of a proposed service as ADDRESS:PORT, first one first in the list; replaces the service's real servers.</summary>
    [Parameter]
    public string[]? RealServer { get; set; }

    /// <summary>Weights for -RealServer: one per real server, or one for all (default 1).</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int[]? Weight { get; set; }

    /// <summary>The Host header of an HTTP request to preview against the service's content rules (managed engine).</summary>
    [Parameter]
    public string? HttpHost { get; set; }

    /// <summary>The path of an HTTP request to preview against the content rules (the query, if any, is ignored).</summary>
    [Parameter]
    public string? Path { get; set; }

    /// <summary>The HTTP method of the previewed request (GET by default when -HttpHost or -Path is given).</summary>
    [Parameter]
    public string? Method { get; set; }

    /// <summary>Header fields of the previewed HTTP request, as a hashtable of name = value (Cookie for cookie rules).</summary>
    [Parameter]
    public System.Collections.Hashtable? Header { get; set; }

    /// <summary>The TLS server name (SNI) of a ClientHello to preview against the content rules.</summary>
    [Parameter]
    public string? Sni { get; set; }

    /// <summary>The request the content-rule parameters describe; null when none was given.</summary>
    private ContentRequest? PreviewRequest()
    {
        if (Sni is not null) return new ContentRequest { Sni = Sni };
        if (HttpHost is null && Path is null && Method is null && Header is null) return null;
        var headers = new List<KeyValuePair<string, string>>();
        if (Header is not null)
        {
            foreach (System.Collections.DictionaryEntry e in Header) headers.Add(new(e.Key.ToString() ?? "", e.Value?.ToString() ?? ""));
        }
        string? path = Path is null ? "/" : Path.Split('?', '#')[0];
        return new ContentRequest { Host = HttpHost is null ? null : ContentRequest.HostWithoutPort(HttpHost), Path = path, Method = Method ?? "GET", Headers = headers };
    }

    /// <summary>
    /// Where the previewed request goes: for a service with content rules or groups, the group the rules pick (the
    /// default group when no request is given or none matches) and the rule that matched; otherwise all real servers.
    /// </summary>
    private (GroupChoice? Group, int Rule) ChooseGroup(VirtualServiceSettings settings, VirtualService? existing, List<RealServerSettings>? proposed)
    {
        var request = PreviewRequest();
        bool grouped = settings.ContentRules.Count > 0 || settings.DefaultGroup is not null
            || (existing?.RealServers.Any(r => r.Group is not null) ?? false) || (proposed?.Any(r => r.Group is not null) ?? false);
        if (!grouped)
        {
            if (request is not null) WriteWarning($"Virtual service '{settings.Id}' has no content rules; -HttpHost, -Path, -Method, -Header and -Sni change nothing.");
            return (null, 0);
        }
        var router = new ContentRouter(settings.ContentRules, settings.DefaultGroup);
        var name = router.RouteRule(request ?? new ContentRequest(), out int index);
        return (new GroupChoice(name), index + 1);
    }

    protected override void ProcessRecord()
    {
        Try(() =>
        {
            var existing = Backend.GetService(VirtualService);
            if (existing is null && (Scheduler is null || RealServer is null))
            {
                throw LvsException.InvalidArgument("PreviewNeedsServers",
                    $"Virtual service '{VirtualService}' does not exist; to preview a proposed service give -Scheduler and -RealServer.", VirtualService);
            }
            var settings = (existing?.Settings ?? new VirtualServiceSettings { Id = VirtualService }) with
            {
                Scheduler = Scheduler ?? existing?.Settings.Scheduler ?? VirtualServiceSettings.DefaultScheduler,
            };
            if (SchedulerFlags is { } flags) settings = settings with { SchedulerFlags = flags };
            if (PersistenceTimeout is { } timeout) settings = settings with { PersistenceTimeout = timeout };
            settings.Validate();
            if (!SchedulerRegistry.IsKnown(settings.Scheduler)) throw SchedulerRegistry.UnknownScheduler(settings.Scheduler);

            var proposed = RealServer is null ? null : ProposedServers();
            Preview(settings, existing, proposed);
        });
    }

    private List<RealServerSettings> ProposedServers()
    {
        var list = new List<RealServerSettings>();
        for (int i = 0; i < RealServer!.Length; i++)
        {
            if (!EndpointText.TryParse(RealServer[i], requirePort: !VirtualService.IsFirewallMark && VirtualService.Port != 0, out var address, out var port, out var error))
            {
                throw LvsException.InvalidArgument("InvalidRealServer", $"Real server '{ValueText.Cut(RealServer[i])}' is not valid: {error}", RealServer[i]);
            }
            int weight = Weight is null || Weight.Length == 0 ? 1 : Weight.Length == 1 ? Weight[0] : i < Weight.Length ? Weight[i]
                : throw LvsException.InvalidArgument("WeightCount", $"Give one weight for all real servers or one per real server ({RealServer.Length}), not {Weight.Length}.", Weight);
            list.Add(new RealServerSettings { Id = RealServerId.Create(address!, port ?? VirtualService.Port), Weight = weight }.Validate());
        }
        return list;
    }

    /// <summary>
    /// Previews on the director's live state when it keeps one (<see cref="ISchedulingPreview"/>: the managed engine,
    /// here or in a director service), otherwise (kernel IPVS, a proposed service) on a fresh state from the listing.
    /// </summary>
    private void Preview(VirtualServiceSettings settings, VirtualService? existing, List<RealServerSettings>? proposed)
    {
        var (group, rule) = ChooseGroup(settings, existing, proposed);
        var request = new SchedulingPreviewRequest
        {
            Settings = settings,
            Group = group?.Name,
            Rule = rule,
            ClientAddresses = ClientAddress?.Select(a => Arguments.ParseAddress(a, "client address").ToString()).ToArray() ?? Array.Empty<string>(),
            ClientPort = ClientPort,
            DestinationPort = DestinationPort,
            Count = Count,
        }.Validate();
        var listed = existing?.RealServers;
        if (group is { } g)
        {
            // only the chosen group's real servers: the service's scheduler runs inside the group
            listed = listed?.Where(r => r.Group == g.Name).ToList();
            proposed = proposed?.Where(r => r.Group == g.Name).ToList();
        }
        var result = (proposed is null ? (Backend as ISchedulingPreview)?.PreviewScheduling(request) : null)
            ?? SchedulingSimulation.Run(request, () => SchedulingSimulation.FromListing(settings, listed, proposed));
        foreach (var decision in result.Decisions) WriteObject(decision);
        foreach (var share in result.Shares) WriteObject(share);
    }
}

/// <summary>The group a previewed request goes to (<see cref="Name"/> null: the real servers without a group).</summary>
internal readonly record struct GroupChoice(string? Name);
