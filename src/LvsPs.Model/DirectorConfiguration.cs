namespace LvsPs.Model;

/// <summary>
/// A virtual service's desired settings with its real servers' settings (in the director's order), and its health
/// check and sorry server when it has them.
/// </summary>
public sealed record ServiceConfiguration(
    VirtualServiceSettings Settings,
    IReadOnlyList<RealServerSettings> RealServers,
    Health.HealthCheckSettings? HealthCheck = null,
    RealServerSettings? SorryServer = null)
{
    /// <summary>
    /// Creates this service on <paramref name="director"/>: the service (its failure is thrown: nothing was created),
    /// then its real servers oldest first and its health check; their failures go to <paramref name="onError"/>.
    /// </summary>
    public void ApplyTo(IDirectorBackend director, Action<string, LvsException> onError)
    {
        director.AddService(Settings);
        foreach (var rs in RealServers.Reverse())
        {
            try
            {
                director.AddRealServer(Settings.Id, rs);
            }
            catch (LvsException e)
            {
                onError($"{rs.Id} in {Settings.Id}", e);
            }
        }
        if ((HealthCheck is not null || SorryServer is not null) && director is Health.IHealthMonitoring monitoring)
        {
            try
            {
                monitoring.SetHealthCheck(Settings.Id, HealthCheck, SorryServer);
            }
            catch (LvsException e)
            {
                onError($"health check of {Settings.Id}", e);
            }
        }
    }
}

/// <summary>
/// What a director is configured to do, without its live state (counters, connections): its services with their
/// real servers, and its timeouts. It can be captured from one director and applied to another.
/// </summary>
public sealed record DirectorConfiguration(IReadOnlyList<ServiceConfiguration> Services, LvsTimeouts Timeouts)
{
    public static readonly DirectorConfiguration Empty = new(Array.Empty<ServiceConfiguration>(), new LvsTimeouts());

    /// <summary>The failover pair the director is in (the director service keeps it in its state file), or null.</summary>
    public Failover.FailoverSettings? Failover { get; init; }

    /// <summary>The BGP announcements of a scale-out group (kept in the service's state file), or null.</summary>
    public Failover.BgpSettings? Bgp { get; init; }

    /// <summary>
    /// This node was taken out of its failover pair and scale-out group (Suspend-LvsDirector) and stays out until
    /// Resume-LvsDirector: kept in the service's state file, so a restart (or a crash) never brings it back on its own.
    /// </summary>
    public bool Suspended { get; init; }

    /// <summary>
    /// What <paramref name="director"/> is configured to do; for a director that runs health checks, the configuration
    /// as the user set it rather than as the checks have adjusted it.
    /// </summary>
    public static DirectorConfiguration Capture(IDirectorBackend director)
    {
        var captured = director is Health.IHealthMonitoring monitoring
            ? monitoring.CaptureDesired()
            : new(
                director.GetServices().Select(s => new ServiceConfiguration(s.Settings, s.RealServers.Select(r => r.Settings).ToList())).ToList(),
                director.GetTimeouts());
        // services in ipvsadm's order, whatever order the director keeps them in, so that an export reads the same twice
        return captured with { Services = captured.Services.OrderBy(s => s.Settings.Id, IpvsadmRules.ServiceOrder).ToList() };
    }

    /// <summary>
    /// Creates this configuration on an empty director. Real servers are added oldest first, so the director lists
    /// them in the captured order. Items the director refuses are reported to <paramref name="onError"/> and skipped.
    /// </summary>
    public void ApplyTo(IDirectorBackend director, Action<string, LvsException> onError)
    {
        try
        {
            director.SetTimeouts(Timeouts);
        }
        catch (LvsException e)
        {
            onError("timeouts", e);
        }
        foreach (var service in Services)
        {
            try
            {
                service.ApplyTo(director, onError);
            }
            catch (LvsException e)
            {
                onError(service.Settings.Id.ToString(), e);
            }
        }
    }
}
