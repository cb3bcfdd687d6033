using LvsPs.Scheduling;

namespace LvsPs.Engine;

/// <summary>How a <see cref="ManagedDirector"/> is made.</summary>
public sealed record ManagedDirectorOptions
{
    /// <summary>Clock and random source handed to the schedulers.</summary>
    public SchedulerOptions Scheduler { get; init; } = SchedulerOptions.Default;

    /// <summary>Runs the 2-second rate estimator on a timer (tests turn it off and tick by hand).</summary>
    public bool RunEstimator { get; init; } = true;

    /// <summary>
    /// How long an FTP data connection announced on a control connection is waited for before its listener closes:
    /// 2 minutes, as IPVS keeps the data connection's entry in LISTEN (ip_vs_proto_tcp.c).
    /// </summary>
    public TimeSpan FtpDataTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// On Linux, relay TCP connections (splice(2)) and UDP flows on the director's own epoll threads, one per core,
    /// made when the director starts and stopped when it stops (default); false uses .NET's asynchronous socket
    /// operations, as on other systems.
    /// </summary>
    public bool UseEventLoop { get; init; } = true;

    /// <summary>
    /// How long a new connection of a service with content rules or accept-proxy may take to send its PROXY header and
    /// its first HTTP request head or TLS ClientHello (10 s); then it is answered 408 (HTTP) or reset.
    /// </summary>
    public TimeSpan PrefaceTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The largest first HTTP request head or TLS ClientHello read for content rules (16 KiB); a larger one is
    /// answered 431 (HTTP) or reset.</summary>
    public int MaxRequestHeadBytes { get; init; } = 16 * 1024;

    /// <summary>
    /// The virtual addresses a service may listen on before this host holds them (IP_FREEBIND / IPV6_FREEBIND): a
    /// failover backup keeps the pair's services bound and ready, and takes connections the moment keepalived adds the
    /// VIP. The director service answers true for its failover pair's VIPs; any other VIP that is not local stays an
    /// error (it is more often a typo than a standby). Null: none.
    /// </summary>
    public Func<System.Net.IPAddress, bool>? BindNonLocal { get; init; }
    /// <summary>
    /// Listening sockets handed over by a director service that is restarting (SCM_RIGHTS), by service: a service
    /// added with one of these identities adopts its socket instead of binding anew, so no connection is refused
    /// while the old process hands over. Each is taken once.
    /// </summary>
    public IReadOnlyDictionary<LvsPs.Model.VirtualServiceId, System.Net.Sockets.SafeSocketHandle>? InheritedListeners { get; init; }
}
