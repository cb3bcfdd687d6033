namespace LvsPs.Model.Health;

/// <summary>Whether the checks last found a real server healthy.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum HealthState : long
{
    /// <summary>Not checked yet; treated as up.</summary>
    Unknown,
    Up,
    Down,
}

/// <summary>One real server's health as its service's check last found it (Get-LvsHealth).</summary>
public sealed record RealServerHealth
{
    /// <summary>The virtual service's identity string, e.g. <c>tcp/192.168.0.1:80</c>.</summary>
    public required string VirtualService { get; init; }
    /// <summary>The real server's endpoint, e.g. <c>10.0.0.2:80</c>.</summary>
    public required string RealServer { get; init; }
    public required HealthState State { get; init; }
    public required HealthCheckType CheckType { get; init; }
    /// <summary>What the last check found, e.g. "connected in 2 ms", "HTTP 503", "timed out after 3 s".</summary>
    public string? LastResult { get; init; }
    public DateTimeOffset? LastCheck { get; init; }
    /// <summary>When the state last changed.</summary>
    public DateTimeOffset? Since { get; init; }
    public int ConsecutiveFailures { get; init; }
    public int ConsecutiveSuccesses { get; init; }
    /// <summary>True for the sorry server, which is in service only while every real server is down.</summary>
    public bool SorryServer { get; init; }
}
