namespace LvsPs.Model.Health;

/// <summary>A virtual service's health check and sorry server (Get-LvsHealthCheck).</summary>
public sealed record ServiceHealthCheck(VirtualServiceId VirtualService, HealthCheckSettings Check, RealServerSettings? SorryServer)
{
    public HealthCheckType Type => Check.Type;
    public ushort? Port => Check.Port;
    public string Path => Check.Path;
    public IReadOnlyList<int> ExpectedStatus => Check.ExpectedStatus;
    public string? BodyMatch => Check.BodyMatch;
    public string? Command => Check.Command;
    public int IntervalSeconds => Check.IntervalSeconds;
    public int TimeoutSeconds => Check.TimeoutSeconds;
    public int Retries => Check.Retries;
    public int Rise => Check.Rise;
    public HealthFailureAction FailureAction => Check.FailureAction;
}
