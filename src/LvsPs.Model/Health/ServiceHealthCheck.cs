namespace LvsPs.Model.Health;

/// <summary>
/// A virtual service's health check and sorry server (Get-LvsHealthCheck). The public surface is text and names
/// (docs/output-objects.md); the settings records behind it are internal.
/// </summary>
public sealed class ServiceHealthCheck
{
    public ServiceHealthCheck(VirtualServiceId virtualService, HealthCheckSettings check, RealServerSettings? sorryServer)
    {
        ServiceId = virtualService;
        Check = check;
        SorryServerSettings = sorryServer;
    }

    internal VirtualServiceId ServiceId { get; }
    internal HealthCheckSettings Check { get; }
    internal RealServerSettings? SorryServerSettings { get; }

    /// <summary>The virtual service's identity string, e.g. <c>tcp/192.168.0.1:80</c>.</summary>
    public string VirtualService => ServiceId.ToString();
    public HealthCheckType Type => Check.Type;
    public ushort? Port => Check.Port;
    public string Path => Check.Path;
    public TextList<int> ExpectedStatus => new(Check.ExpectedStatus, ",");
    public string? BodyMatch => Check.BodyMatch;
    public string? Command => Check.Command;
    public int IntervalSeconds => Check.IntervalSeconds;
    public int TimeoutSeconds => Check.TimeoutSeconds;
    public int Retries => Check.Retries;
    public int Rise => Check.Rise;
    public HealthFailureAction FailureAction => Check.FailureAction;

    /// <summary>What is checked, in words: the command, the port, or the HTTP path and the statuses it expects.</summary>
    public string Target => Check.Type switch
    {
        HealthCheckType.Command => Check.Command ?? string.Empty,
        HealthCheckType.Tcp => Check.Port is { } p ? $"port {p}" : "real server port",
        _ => $"{(Check.Port is { } hp ? $"port {hp} " : string.Empty)}{Check.Path} -> {string.Join(",", Check.ExpectedStatus)}",
    };

    /// <summary>The sorry server's endpoint (in service only while every real server is down), or null.</summary>
    public string? SorryServer => SorryServerSettings?.Id.ToString();

    public override string ToString() => $"{ServiceId} {Type} {Target}";
}
