using LvsPs.Scheduling;

namespace LvsPs.Engine;

/// <summary>Whether the managed engine may relay TCP through the BPF sockmap fast path.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum FastPath : long
{
    /// <summary>Use it when the process may (root, or CAP_BPF and CAP_NET_ADMIN) and loading succeeds.</summary>
    Auto,
    /// <summary>Never: every TCP relay is spliced (the default: splice is measured faster, docs/fast-path.md).</summary>
    Off,
}

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
    /// Whether plain TCP relays may go to the BPF sockmap fast path (<see cref="Engine.FastPath.Auto"/>, the default:
    /// when the process may use bpf(2) and the event loop runs, for the connections <see cref="FastPathJoin"/> picks:
    /// conversations of small messages) or always stay on the splice path (<see cref="Engine.FastPath.Off"/>). Measured
    /// with the director between a client and a server host, the sockmap answers more keepalive requests per director
    /// core than splice and HAProxy; bulk transfers it moves for more CPU than splice, so they stay spliced:
    /// docs/fast-path.md and docs/benchmarks.md.
    /// </summary>
    public FastPath FastPath { get; init; } = FastPath.Auto;

    /// <summary>Which plain connections move from splice to the fast path, and when (<see cref="Tcp.FastPathJoin.Default"/>:
    /// conversations of small messages, at their second request; <see cref="Tcp.FastPathJoin.AtConnect"/>: every one, as
    /// soon as it is connected).</summary>
    public Tcp.FastPathJoin FastPathJoin { get; init; } = Tcp.FastPathJoin.Default;

    /// <summary>How many connections the fast path holds at once (16,384); the next ones are spliced until one ends.</summary>
    public int FastPathConnections { get; init; } = 16 * 1024;

    /// <summary>The verdict program to load instead of the real one, given the targets sockmap's and the peers map's descriptors:
    /// tests hand one the verifier refuses, to see the director fall back to splice.</summary>
    internal Func<int, int, byte[]>? FastPathProgram { get; init; }

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
    /// while the old process hands over. Each is taken once, and accepted on only after <see cref="ManagedDirector.AcceptHandedOver"/>.
    /// </summary>
    public IReadOnlyDictionary<LvsPs.Model.VirtualServiceId, System.Net.Sockets.SafeSocketHandle>? InheritedListeners { get; init; }
}
