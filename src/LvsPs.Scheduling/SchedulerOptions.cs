namespace LvsPs.Scheduling;

/// <summary>What a scheduler may need from outside: time and randomness, both injectable for tests.</summary>
public sealed record SchedulerOptions
{
    public static readonly SchedulerOptions Default = new();

    public ISchedulingClock Clock { get; init; } = SystemSchedulingClock.Instance;

    public IRandomSource Random { get; init; } = SystemRandomSource.Instance;

    /// <summary>
    /// How long an lblc/lblcr cache entry (and an lblcr replica set) may stay unused before the periodic full check
    /// drops it: the sysctls net.ipv4.vs.lblc_expiration and lblcr_expiration, 24 hours by default (DEFAULT_EXPIRATION).
    /// </summary>
    public TimeSpan LocalityExpiration { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// net.ipv4.vs.expire_quiescent_template (default off): when on, a persistence template whose destination has
    /// weight 0 is treated as invalid, so the client is scheduled afresh (ip_vs_conn.c ip_vs_check_template).
    /// </summary>
    public bool ExpireQuiescentTemplate { get; init; }
}
