using System.Net;

namespace LvsPs.Model;

/// <summary>
/// What Test-LvsScheduling asks a director to preview: new connections from <see cref="ClientAddresses"/> to a
/// virtual service with <see cref="Settings"/> (the service's own, or a proposed scheduler, flags or persistence), one
/// decision per client, or with <see cref="Count"/> a run of that many requests and how they are shared. It crosses the
/// control socket, so it validates itself (<see cref="Validate"/>) before any scheduler sees it.
/// </summary>
public sealed record SchedulingPreviewRequest
{
    /// <summary>The most requests one preview simulates (Test-LvsScheduling -Count).</summary>
    public const int MaxCount = 10_000_000;

    /// <summary>The most client addresses one preview takes.</summary>
    public const int MaxClients = 65_536;

    /// <summary>The service as previewed: its identity, scheduler, scheduler flags and persistence.</summary>
    public required VirtualServiceSettings Settings { get; init; }

    /// <summary>The content-routing group the rules picked (null: the real servers without a group, or no rules).</summary>
    public string? Group { get; init; }

    /// <summary>The content rule that matched, from 1; 0 when none did or the service has no rules.</summary>
    public int Rule { get; init; }

    /// <summary>The clients' addresses as text. Without <see cref="Count"/>, one decision each; with it, the requests cycle through them (none: made-up clients).</summary>
    public IReadOnlyList<string> ClientAddresses { get; init; } = Array.Empty<string>();

    /// <summary>The client's source port; with <see cref="Count"/> it goes up by one per request.</summary>
    public int ClientPort { get; init; } = 40000;

    /// <summary>The destination port of the packets; -1: the service's port.</summary>
    public int DestinationPort { get; init; } = -1;

    /// <summary>Requests to simulate in a row (0: one decision per client instead).</summary>
    public int Count { get; init; }

    /// <summary>The client addresses, parsed (<see cref="Validate"/> has checked them).</summary>
    public IReadOnlyList<IPAddress> Clients() => ClientAddresses.Select(IPAddress.Parse).ToList();

    /// <summary>Checks every field, naming the value and what is allowed; returns this request.</summary>
    public SchedulingPreviewRequest Validate()
    {
        if (Settings is null) throw LvsException.InvalidArgument("PreviewNeedsService", "A scheduling preview needs the virtual service's settings.", null);
        Settings.Validate();
        if (Count is < 0 or > MaxCount)
        {
            throw LvsException.InvalidArgument("InvalidPreviewCount", $"Preview count {Count} is out of range; allowed: 0 to {MaxCount}.", Count);
        }
        if (ClientPort is < 0 or > 65535)
        {
            throw LvsException.InvalidArgument("InvalidClientPort", $"Client port {ClientPort} is out of range; allowed: 0 to 65535.", ClientPort);
        }
        if (DestinationPort is < -1 or > 65535)
        {
            throw LvsException.InvalidArgument("InvalidDestinationPort", $"Destination port {DestinationPort} is out of range; allowed: -1 (the service's port) or 0 to 65535.", DestinationPort);
        }
        if (Rule < 0) throw LvsException.InvalidArgument("InvalidPreviewRule", $"Rule {Rule} is out of range; allowed: 0 (none) or a rule number from 1.", Rule);
        if (ClientAddresses is null || ClientAddresses.Count > MaxClients)
        {
            throw LvsException.InvalidArgument("TooManyPreviewClients", $"A preview takes at most {MaxClients} client addresses, not {ClientAddresses?.Count}.", ClientAddresses?.Count);
        }
        foreach (var a in ClientAddresses)
        {
            if (a is null || !IPAddress.TryParse(a, out _))
            {
                throw LvsException.InvalidArgument("InvalidClientAddress", $"Client address '{ValueText.Cut(a)}' is not an IPv4 or IPv6 address.", a);
            }
        }
        if (Count == 0 && ClientAddresses.Count == 0)
        {
            throw LvsException.InvalidArgument("PreviewNeedsClient", "Give -ClientAddress to preview single decisions, or -Count to preview a distribution.", null);
        }
        return this;
    }
}

/// <summary>What a preview found: one decision per client, or (with a count) the share of each real server.</summary>
public sealed record SchedulingPreviewResult
{
    public IReadOnlyList<SchedulingPreview> Decisions { get; init; } = Array.Empty<SchedulingPreview>();

    public IReadOnlyList<SchedulingShare> Shares { get; init; } = Array.Empty<SchedulingShare>();
}
