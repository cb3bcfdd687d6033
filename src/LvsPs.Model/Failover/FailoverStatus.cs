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
public sealed record FailoverTransition(DateTimeOffset Time, FailoverRole From, FailoverRole To);

/// <summary>Where a director stands in its failover pair.</summary>
public sealed record FailoverStatus
{
    public FailoverRole Role { get; init; } = FailoverRole.Standalone;

    /// <summary>This director's node name, or null when no failover is configured.</summary>
    public string? Node { get; init; }

    /// <summary>The other nodes, as NAME (ADDRESS) when they have one.</summary>
    public IReadOnlyList<string> Peers { get; init; } = Array.Empty<string>();

    /// <summary>The last role change, or null when there was none since the service started.</summary>
    public FailoverTransition? LastTransition { get; init; }

    /// <summary>Role changes since the service started.</summary>
    public long Transitions { get; init; }

    /// <summary>True after Suspend-LvsDirector: the node stays out of the pair (and withdraws its routes) until resumed.</summary>
    public bool Suspended { get; init; }

    /// <summary>The addresses announced over BGP right now (those with an available real server), as ADDRESS/LENGTH.</summary>
    public IReadOnlyList<string> Announced { get; init; } = Array.Empty<string>();

    /// <summary>Why the VRRP speaker is not running, when it is not and should be (for example: keepalived is not installed).</summary>
    public string? Problem { get; init; }
}

/// <summary>
/// A director that can take part in a failover pair: the director service, and a client of one. A capability beside
/// <see cref="IDirectorBackend"/>: the in-session director cannot, since the pair outlives a PowerShell session.
/// </summary>
public interface IFailoverControl
{
    /// <summary>The failover settings, or null when the director runs alone.</summary>
    FailoverSettings? GetFailover();

    /// <summary>Validates and applies <paramref name="settings"/> (null: leave the pair); on failure nothing changes.</summary>
    void SetFailover(FailoverSettings? settings);

    FailoverStatus GetFailoverStatus();

    /// <summary>The BGP announcements of a scale-out group, or null when the director announces nothing.</summary>
    BgpSettings? GetBgp();

    /// <summary>Validates and applies <paramref name="settings"/> (null: stop announcing); on failure nothing changes.</summary>
    void SetBgp(BgpSettings? settings);

    /// <summary>Planned removal: hands mastership to a peer at once and withdraws announced routes; the node stays out until resumed.</summary>
    void Suspend();

    /// <summary>Rejoins the pair (and announces again) after <see cref="Suspend"/>.</summary>
    void Resume();
}
