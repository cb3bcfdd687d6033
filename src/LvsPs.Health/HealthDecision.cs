using LvsPs.Health.Probes;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>
/// Decide: what one probe result means for a checked real server, as keepalived counts them. A failure after
/// <see cref="HealthCheckSettings.Retries"/> in a row takes it down; a success after <see cref="HealthCheckSettings.Rise"/>
/// in a row brings a down server back up; the first success of a server not checked yet marks it up. Only the counters
/// and the result are recorded here; the caller applies a change of state to the director's table.
/// </summary>
internal static class HealthDecision
{
    /// <summary>Records <paramref name="result"/> for <paramref name="server"/>; returns the state it should change to, or null for none.</summary>
    public static HealthState? Decide(HealthCheckSettings check, ServerHealth server, ProbeResult result, DateTimeOffset now)
    {
        server.LastCheck = now;
        server.LastResult = result.Detail;
        if (result.Healthy)
        {
            server.Successes++;
            server.Failures = 0;
            if (server.State == HealthState.Down && server.Successes >= check.Rise) return HealthState.Up;
            if (server.State == HealthState.Unknown) return HealthState.Up;
            return null;
        }
        server.Failures++;
        server.Successes = 0;
        return server.State != HealthState.Down && server.Failures >= check.Retries ? HealthState.Down : null;
    }
}
