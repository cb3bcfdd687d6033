using System.Management.Automation;
using System.Net;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Persistence;

namespace LvsPs.Commands;

/// <summary>
/// Test-LvsScheduling: previews scheduling for an existing or a proposed virtual service without creating a
/// connection or changing any scheduler state. It simulates on a copy: for a managed service, a copy of its live
/// state (scheduler cursor, hash tables, lblc caches, persistence templates, connection counters).
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
            if (Count > 0) WriteShares(settings, existing, proposed);
            else WritePreviews(settings, existing, proposed);
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

    private SchedulingRequest Request(ServiceScheduler sim, VirtualServiceSettings settings, IPAddress client, int clientPort)
    {
        var id = settings.Id;
        var vip = id.Address is null ? NetAddress.FromIPv4(0) : NetAddress.FromIPAddress(id.Address);
        ushort dport = (ushort)(DestinationPort >= 0 ? DestinationPort : id.Port);
        var protocol = id.IsFirewallMark ? LvsProtocol.Tcp : id.Protocol;
        return new SchedulingRequest(protocol, NetAddress.FromIPAddress(client), (ushort)(clientPort & 0xFFFF), vip, dport, sim.Destinations.Options.Clock.Now);
    }

    private void WritePreviews(VirtualServiceSettings settings, VirtualService? existing, List<RealServerSettings>? proposed)
    {
        var clients = ClientAddress is { Length: > 0 } ? ClientAddress.Select(a => Arguments.ParseAddress(a, "client address")).ToArray() : throw LvsException.InvalidArgument("PreviewNeedsClient", "Give -ClientAddress to preview single decisions, or -Count to preview a distribution.", null);
        foreach (var client in clients)
        {
            // each client is previewed against the current state, not after the others
            var (group, rule) = ChooseGroup(settings, existing, proposed);
            var sim = PreviewScheduling.Build(Backend, settings, existing?.RealServers, proposed, keepLiveState: true, group);
            var before = sim.Templates.ToHashSet();
            var decision = sim.Schedule(Request(sim, settings, client, ClientPort));
            WriteObject(new SchedulingPreview
            {
                VirtualService = settings.Id.ToString(),
                Scheduler = settings.Scheduler,
                ClientAddress = client.ToString(),
                ClientPort = (ushort)ClientPort,
                RealServer = decision.Destination?.Id.ToString(),
                FromTemplate = decision.Template is not null && before.Contains(decision.Template),
                Group = group?.Name,
                Rule = rule,
            });
        }
    }

    private void WriteShares(VirtualServiceSettings settings, VirtualService? existing, List<RealServerSettings>? proposed)
    {
        var (group, _) = ChooseGroup(settings, existing, proposed);
        var sim = PreviewScheduling.Build(Backend, settings, existing?.RealServers, proposed, keepLiveState: true, group);
        var counts = new Dictionary<Destination, int>(ReferenceEqualityComparer.Instance);
        var clientAddresses = ClientAddress?.Select(a => Arguments.ParseAddress(a, "client address")).ToArray();
        int none = 0;
        for (int i = 0; i < Count; i++)
        {
            var client = clientAddresses is { Length: > 0 } ? clientAddresses[i % clientAddresses.Length] : MadeUpClient(i % 100, settings.Id.AddressFamily);
            var decision = sim.Schedule(Request(sim, settings, client, ClientPort + i));
            if (decision.Destination is not { } d)
            {
                none++;
                continue;
            }
            d.BindConnection(active: true); // the simulated connection stays open on the copy
            counts[d] = counts.GetValueOrDefault(d) + 1;
        }
        foreach (var d in sim.Destinations.Items)
        {
            int n = counts.GetValueOrDefault(d);
            WriteObject(new SchedulingShare { VirtualService = settings.Id.ToString(), Scheduler = settings.Scheduler, RealServer = d.Id.ToString(), Weight = d.Weight, Requests = n, Percent = Math.Round(100.0 * n / Count, 2) });
        }
        if (none > 0) WriteObject(new SchedulingShare { VirtualService = settings.Id.ToString(), Scheduler = settings.Scheduler, RealServer = null, Requests = none, Percent = Math.Round(100.0 * none / Count, 2) });
    }

    /// <summary>Client number <paramref name="i"/> of the made-up ones: 198.18.0.1 upward (RFC 2544 benchmarking range), or 2001:db8::1 upward.</summary>
    private static IPAddress MadeUpClient(int i, System.Net.Sockets.AddressFamily family)
    {
        if (family == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var b = IPAddress.Parse("2001:db8::").GetAddressBytes();
            b[14] = (byte)((i + 1) >> 8);
            b[15] = (byte)(i + 1);
            return new IPAddress(b);
        }
        return new IPAddress(new byte[] { 198, 18, (byte)((i + 1) >> 8), (byte)(i + 1) });
    }
}
