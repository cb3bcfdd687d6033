using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Configuration;

/// <summary>
/// A virtual service as a desired state names it: its settings (or null when only its real servers are described and
/// the service must already exist), its real servers in the director's order, and its health check.
/// </summary>
public sealed record DesiredService(VirtualServiceId Id)
{
    /// <summary>The settings the service must have; null leaves them as they are (the service must exist).</summary>
    public VirtualServiceSettings? Settings { get; init; }

    public IReadOnlyList<RealServerSettings> RealServers { get; init; } = Array.Empty<RealServerSettings>();

    /// <summary>True when the health check and sorry server below are wanted as given (null: none).</summary>
    public bool ManageHealthCheck { get; init; }

    public HealthCheckSettings? HealthCheck { get; init; }

    public RealServerSettings? SorryServer { get; init; }

    /// <summary>Line of the service in its document (0 when not from a document), for messages.</summary>
    public int Line { get; init; }
}

/// <summary>
/// What a director must look like: the services named (others are left alone unless the reconcile prunes), timeouts
/// (0 = leave as is), sync daemons (null = leave as they are), and what must be absent (DSC's Ensure = Absent).
/// </summary>
public sealed record DesiredDirector
{
    public static readonly DesiredDirector Empty = new();

    public IReadOnlyList<DesiredService> Services { get; init; } = Array.Empty<DesiredService>();

    /// <summary>
    /// False for a document without a <c>virtualServices</c> list (only timeouts, say): it says nothing about which
    /// services exist, so pruning with it is refused rather than removing every service.
    /// </summary>
    public bool ListsServices { get; init; } = true;

    /// <summary>Timeouts to set; a 0 field is left as it is. Null leaves every timeout.</summary>
    public LvsTimeouts? Timeouts { get; init; }

    /// <summary>The sync daemons to run; null leaves them as they are.</summary>
    public IReadOnlyList<SyncDaemon>? SyncDaemons { get; init; }

    /// <summary>True when the failover pair below is wanted as given (null: the director runs alone); false leaves it as it is.</summary>
    public bool ManageFailover { get; init; }

    public Model.Failover.FailoverSettings? Failover { get; init; }

    /// <summary>True when the BGP announcements below are wanted as given (null: announce nothing); false leaves them as they are.</summary>
    public bool ManageBgp { get; init; }

    public Model.Failover.BgpSettings? Bgp { get; init; }

    public IReadOnlyList<VirtualServiceId> AbsentServices { get; init; } = Array.Empty<VirtualServiceId>();

    public IReadOnlyList<(VirtualServiceId Service, RealServerId RealServer)> AbsentRealServers { get; init; } =
        Array.Empty<(VirtualServiceId, RealServerId)>();

    /// <summary>A desired state that is exactly <paramref name="configuration"/> (ipvsadm rules, Export objects).</summary>
    public static DesiredDirector FromConfiguration(DirectorConfiguration configuration, bool withTimeouts = false) => new()
    {
        Services = configuration.Services.Select(s => new DesiredService(s.Settings.Id)
        {
            Settings = s.Settings,
            RealServers = s.RealServers,
            ManageHealthCheck = s.HealthCheck is not null || s.SorryServer is not null,
            HealthCheck = s.HealthCheck,
            SorryServer = s.SorryServer,
        }).ToList(),
        Timeouts = withTimeouts ? configuration.Timeouts : null,
    };
}
