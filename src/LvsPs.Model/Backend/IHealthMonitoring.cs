namespace LvsPs.Model.Health;

/// <summary>A director that runs health checks (the health monitor, or a director service hosting one).</summary>
public interface IHealthMonitoring
{
    /// <summary>Sets (or with null, removes) a service's health check and sorry server.</summary>
    void SetHealthCheck(VirtualServiceId service, HealthCheckSettings? check, RealServerSettings? sorryServer);

    /// <summary>The check and sorry server of a service, or nulls.</summary>
    (HealthCheckSettings? Check, RealServerSettings? SorryServer) GetHealthCheck(VirtualServiceId service);

    IReadOnlyList<RealServerHealth> GetHealth();

    /// <summary>
    /// The configuration as the user set it: real servers at their configured weights even while health checks have
    /// quiesced or removed them, with the checks and sorry servers. This is what a director service saves.
    /// </summary>
    DirectorConfiguration CaptureDesired();
}
