using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Health;

/// <summary>One checked real server: the settings the user gave it and what its checks found.</summary>
internal sealed class ServerHealth
{
    public ServerHealth(RealServerSettings desired, bool sorry = false)
    {
        Desired = desired;
        Sorry = sorry;
    }

    public RealServerSettings Desired { get; set; }

    public bool Sorry { get; }

    public HealthState State { get; set; } = HealthState.Unknown;

    public int Failures { get; set; }

    public int Successes { get; set; }

    public string? LastResult { get; set; }

    public DateTimeOffset? LastCheck { get; set; }

    public DateTimeOffset? Since { get; set; }

    /// <summary>True while the checks keep this real server out of scheduling.</summary>
    public bool Down => State == HealthState.Down;

    public RealServerHealth ToModel(VirtualServiceId service, HealthCheckType type) => new()
    {
        VirtualService = service.ToString(),
        RealServer = Desired.Id.ToString(),
        State = State,
        CheckType = type,
        LastResult = LastResult,
        LastCheck = LastCheck,
        Since = Since,
        ConsecutiveFailures = Failures,
        ConsecutiveSuccesses = Successes,
        SorryServer = Sorry,
    };
}
