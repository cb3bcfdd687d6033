namespace LvsPs.Model;

/// <summary>Which kind of director a backend drives.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum DirectorKind : long
{
    /// <summary>The managed .NET forwarding engine in this process.</summary>
    Managed,
    /// <summary>The Linux kernel's IPVS over generic netlink.</summary>
    Kernel,
    /// <summary>A director service in another process, reached over its control socket.</summary>
    Service,
}

/// <summary>What a director says about itself (ipvsadm's header line and GET_INFO).</summary>
public sealed record DirectorInfo
{
    public required DirectorKind Kind { get; init; }
    /// <summary>Where it is: "in-session", a network namespace, a control socket path.</summary>
    public required string Target { get; init; }
    /// <summary>IPVS version the director speaks, e.g. "1.2.1".</summary>
    public required string Version { get; init; }
    /// <summary>Size of the connection hash table (ipvsadm: "size=4096").</summary>
    public int ConnectionTableSize { get; init; }
    public bool Running { get; init; }
    public DateTimeOffset? StartTime { get; init; }
    public int VirtualServiceCount { get; init; }
    public int RealServerCount { get; init; }
    public int ConnectionCount { get; init; }
    /// <summary>Its part in a failover pair: Master, Backup, Fault, or Standalone when it has none.</summary>
    public Failover.FailoverRole Role { get; init; }
    /// <summary>The other node(s) of its failover pair, or null.</summary>
    public string? Peer { get; init; }
    /// <summary>When its failover role last changed, or null.</summary>
    public DateTimeOffset? LastTransition { get; init; }
    /// <summary>The managed engine's way of relaying plain TCP connections: "sockmap" (the BPF fast path, bytes never
    /// reach user space), "splice" (splice(2) on the engine's epoll threads), "async" (.NET sockets); null for the
    /// kernel backend.</summary>
    public string? RelayPath { get; init; }
    /// <summary>What that path covers, or why the fast path is off.</summary>
    public string? RelayPathReason { get; init; }
    /// <summary>Scheduler names this director can use.</summary>
    public IReadOnlyList<string> Schedulers { get => _schedulers; init => _schedulers = new TextList<string>(value ?? Array.Empty<string>()); }

    // a TextList, so that a CSV cell or a list view shows "rr wrr ..." rather than the list's type name
    private readonly IReadOnlyList<string> _schedulers = new TextList<string>(Array.Empty<string>());
}
