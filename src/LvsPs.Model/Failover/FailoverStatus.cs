namespace LvsPs.Model.Failover;

/// <summary>A director's part in a failover pair, as keepalived last reported it.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum FailoverRole : long
{
    /// <summary>No failover configured: the director serves alone.</summary>
    Standalone,
    /// <summary>Holds the virtual addresses.</summary>
    Master,
    /// <summary>Ready to take over; does not hold the virtual addresses.</summary>
    Backup,
    /// <summary>keepalived found the interface down (or is not running): this node cannot take over.</summary>
    Fault,
}

/// <summary>One role change, as keepalived reported it.</summary>
public sealed record FailoverTransition(DateTimeOffset Time, FailoverRole From, FailoverRole To)
{
    /// <summary>"Backup -> Master at 2026-11-28T10:00:00+00:00", as a CSV cell or a list view shows it.</summary>
    public override string ToString() => $"{From} -> {To} at {Time:O}";
}

/// <summary>Where a director stands in its failover pair.</summary>
public sealed record FailoverStatus
{
    public FailoverRole Role { get; init; } = FailoverRole.Standalone;

    /// <summary>This director's node name, or null when no failover is configured.</summary>
    public string? Node { get; init; }

    /// <summary>The other nodes, as NAME (ADDRESS) when they have one.</summary>
    public IReadOnlyList<string> Peers { get => _peers; init => _peers = new TextList<string>(value ?? Array.Empty<string>(), ", "); }

    // TextLists, so that a CSV cell or a list view shows the items rather than the list's type name
    private readonly IReadOnlyList<string> _peers = new TextList<string>(Array.Empty<string>());
    private readonly IReadOnlyList<string> _announced = new TextList<string>(Array.Empty<string>());

    /// <summary>The last role change, or null when there was none since the service started.</summary>
    public FailoverTransition? LastTransition { get; init; }

    /// <summary>Role changes since the service started.</summary>
    public long Transitions { get; init; }

    /// <summary>True after Suspend-LvsDirector: the node stays out of the pair (and withdraws its routes) until resumed.</summary>
    public bool Suspended { get; init; }

    /// <summary>The addresses announced over BGP right now (those with an available real server), as ADDRESS/LENGTH.</summary>
    public IReadOnlyList<string> Announced { get => _announced; init => _announced = new TextList<string>(value ?? Array.Empty<string>(), ", "); }

    /// <summary>Why the VRRP speaker is not running, when it is not and should be (for example: keepalived is not installed).</summary>
    public string? Problem { get; init; }
}
