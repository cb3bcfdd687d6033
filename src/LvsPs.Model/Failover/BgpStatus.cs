using System.Globalization;

namespace LvsPs.Model.Failover;

/// <summary>
/// Where a BGP session stands: the finite state machine's states of RFC 4271 section 8.2.2 (Idle, Connect, Active,
/// OpenSent, OpenConfirm, Established), BIRD's Close while it shuts one down, and Unknown when the speaker does not run
/// or does not answer.
/// </summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum BgpSessionState : long
{
    /// <summary>The BGP speaker does not run or did not answer, so the session's state is not known.</summary>
    Unknown,
    /// <summary>No connection is tried (after an error, or before the first attempt).</summary>
    Idle,
    /// <summary>Connecting to the neighbor.</summary>
    Connect,
    /// <summary>Waiting for the neighbor to connect, or to retry.</summary>
    Active,
    /// <summary>OPEN sent, waiting for the neighbor's.</summary>
    OpenSent,
    /// <summary>OPENs exchanged, waiting for the first KEEPALIVE.</summary>
    OpenConfirm,
    /// <summary>The session is up: routes are exchanged.</summary>
    Established,
    /// <summary>The session is being closed.</summary>
    Close,
}

/// <summary>One BGP session of this director with a neighbor, as the BGP speaker last reported it.</summary>
public sealed record BgpSession
{
    /// <summary>The neighbor's address.</summary>
    public string Neighbor { get; init; } = "";

    /// <summary>The neighbor's AS number.</summary>
    public long As { get; init; }

    public BgpSessionState State { get; init; }

    /// <summary>When the session entered its state (as the speaker tells it), or null when not known.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>What the speaker adds, such as the last error ("Socket: Connection refused"); null when nothing.</summary>
    public string? Info { get; init; }

    /// <summary>"10.0.0.1 as 65000 Established", as a CSV cell or a list view shows it.</summary>
    public override string ToString() =>
        $"{Neighbor} as {As.ToString(CultureInfo.InvariantCulture)} {State}" + (string.IsNullOrEmpty(Info) ? "" : $" ({Info})");
}

/// <summary>
/// A director's BGP announcements (Get-LvsBgp): the settings of its scale-out group, as text that Set-LvsBgp reads
/// back, and what runs: the sessions with the neighbors, the routes announced, whether the director is suspended, and
/// what keeps the speaker from running.
/// </summary>
public sealed record BgpStatus
{
    // TextLists, so that a CSV cell or a list view shows the items rather than the list's type name
    private readonly IReadOnlyList<string> _neighbors = new TextList<string>(Array.Empty<string>());
    private readonly IReadOnlyList<string> _nodes = new TextList<string>(Array.Empty<string>());
    private readonly IReadOnlyList<BgpSession> _sessions = new TextList<BgpSession>(Array.Empty<BgpSession>());
    private readonly IReadOnlyList<string> _announced = new TextList<string>(Array.Empty<string>());

    /// <summary>This director's node name in the group.</summary>
    public string? Node { get; init; }

    /// <summary>The group's AS number (bgp.as); 0 when every node has its own.</summary>
    public long As { get; init; }

    /// <summary>The neighbors, each as "ADDRESS as AS" (bgp.neighbors).</summary>
    public IReadOnlyList<string> Neighbors { get => _neighbors; init => _neighbors = new TextList<string>(value ?? Array.Empty<string>(), ", "); }

    /// <summary>The group's directors, each as "NAME ROUTERID" or "NAME ROUTERID as AS" (bgp.nodes).</summary>
    public IReadOnlyList<string> Nodes { get => _nodes; init => _nodes = new TextList<string>(value ?? Array.Empty<string>(), ", "); }

    /// <summary>The sessions with the neighbors, in the neighbors' order.</summary>
    public IReadOnlyList<BgpSession> Sessions { get => _sessions; init => _sessions = new TextList<BgpSession>(value ?? Array.Empty<BgpSession>(), "; "); }

    /// <summary>The routes announced right now (the addresses of services with an available real server), as ADDRESS/LENGTH.</summary>
    public IReadOnlyList<string> Announced { get => _announced; init => _announced = new TextList<string>(value ?? Array.Empty<string>(), ", "); }

    /// <summary>True after Suspend-LvsDirector: the director announces nothing until resumed.</summary>
    public bool Suspended { get; init; }

    /// <summary>Why the BGP speaker does not run as it should (for example: bird is not installed), or null.</summary>
    public string? Problem { get; init; }

    /// <summary>The status of <paramref name="settings"/> with the settings' part filled in.</summary>
    public static BgpStatus Of(BgpSettings settings) => new()
    {
        As = settings.As,
        Neighbors = settings.Neighbors.Select(n => n.ToString()).ToList(),
        Nodes = settings.Nodes.Select(n => n.ToString()).ToList(),
    };
}
