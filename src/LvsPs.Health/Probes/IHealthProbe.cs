using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health.Probes;

/// <summary>What one check found.</summary>
public readonly record struct ProbeResult(bool Healthy, string Detail);

/// <summary>One kind of check, run against one real server; must finish within the check's timeout.</summary>
public interface IHealthProbe
{
    Task<ProbeResult> ProbeAsync(VirtualServiceId service, RealServerId realServer, HealthCheckSettings check, CancellationToken cancellation);
}

/// <summary>The probe for each check type.</summary>
public static class HealthProbes
{
    public static IHealthProbe For(HealthCheckType type) => type switch
    {
        HealthCheckType.Tcp => TcpProbe.Instance,
        HealthCheckType.Http or HealthCheckType.Https => HttpProbe.Instance,
        HealthCheckType.Command => CommandProbe.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
