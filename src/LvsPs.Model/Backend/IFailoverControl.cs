namespace LvsPs.Model.Failover;

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

    /// <summary>Planned removal: hands mastership to a peer at once (and, with <see cref="IBgpControl"/>, withdraws announced routes); the node stays out until resumed.</summary>
    void Suspend();

    /// <summary>Rejoins the pair (and announces again) after <see cref="Suspend"/>.</summary>
    void Resume();
}
