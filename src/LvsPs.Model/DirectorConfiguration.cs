namespace LvsPs.Model;

/// <summary>
/// A virtual service's desired settings with its real servers' settings (in the director's order), and its health
/// check and sorry server when it has them.
/// </summary>
public sealed record ServiceConfiguration(
    VirtualServiceSettings Settings,
    IReadOnlyList<RealServerSettings> RealServers,
    Health.HealthCheckSettings? HealthCheck = null,
    RealServerSettings? SorryServer = null);

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
    /// What <paramref name="director"/> is configured to do; for a director that runs health checks, the configuration
    /// as the user set it rather than as the checks have adjusted it.
    /// </summary>
    public static DirectorConfiguration Capture(IDirectorBackend director) =>
        director is Health.IHealthMonitoring monitoring
            ? monitoring.CaptureDesired()
            : new(
                director.GetServices().Select(s => new ServiceConfiguration(s.Settings, s.RealServers.Select(r => r.Settings).ToList())).ToList(),
                director.GetTimeouts());

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
                director.AddService(service.Settings);
            }
            catch (LvsException e)
            {
                onError(service.Settings.Id.ToString(), e);
                continue;
            }
            foreach (var rs in service.RealServers.Reverse())
            {
                try
                {
                    director.AddRealServer(service.Settings.Id, rs);
                }
                catch (LvsException e)
                {
                    onError($"{rs.Id} in {service.Settings.Id}", e);
                }
            }
            if ((service.HealthCheck is not null || service.SorryServer is not null) && director is Health.IHealthMonitoring monitoring)
            {
                try
                {
                    monitoring.SetHealthCheck(service.Settings.Id, service.HealthCheck, service.SorryServer);
                }
                catch (LvsException e)
                {
                    onError($"health check of {service.Settings.Id}", e);
                }
            }
        }
    }
}
