namespace LvsPs.Model.Failover;

/// <summary>
/// A director that announces its virtual addresses over BGP as a member of a scale-out group (the director service,
/// which drives BIRD 2, and a client of one). A capability of its own beside <see cref="IFailoverControl"/>: a group
/// can announce routes without a VRRP pair, and a pair can run without BGP (docs/high-availability.md).
/// </summary>
public interface IBgpControl
{
    /// <summary>The BGP announcements of a scale-out group, or null when the director announces nothing.</summary>
    BgpSettings? GetBgp();

    /// <summary>Validates and applies <paramref name="settings"/> (null: stop announcing); on failure nothing changes.</summary>
    void SetBgp(BgpSettings? settings);

    /// <summary>The settings and what runs (sessions, routes announced), or null when the director announces nothing.</summary>
    BgpStatus? GetBgpStatus();
}
