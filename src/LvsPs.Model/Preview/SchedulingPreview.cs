namespace LvsPs.Model;

/// <summary>One previewed decision of Test-LvsScheduling: where a client's new connection would go.</summary>
public sealed record SchedulingPreview
{
    /// <summary>The virtual service's identity string, e.g. <c>tcp/192.168.0.1:80</c>.</summary>
    public required string VirtualService { get; init; }

    public required string Scheduler { get; init; }

    /// <summary>The client's address as text.</summary>
    public required string ClientAddress { get; init; }

    public required ushort ClientPort { get; init; }

    /// <summary>The chosen real server's endpoint (10.0.0.2:80); null when the scheduler finds none (the connection would be dropped).</summary>
    public string? RealServer { get; init; }

    /// <summary>True when an existing persistence template made the choice.</summary>
    public bool FromTemplate { get; init; }

    /// <summary>The content-routing group the request went to (null: the real servers without a group, or no rules).</summary>
    public string? Group { get; init; }

    /// <summary>The content rule that matched, from 1; 0 when none did (the default group) or the service has no rules.</summary>
    public int Rule { get; init; }
}

/// <summary>One line of Test-LvsScheduling -Count: how many of the simulated requests a real server would get.</summary>
public sealed record SchedulingShare
{
    /// <summary>The virtual service's identity string.</summary>
    public required string VirtualService { get; init; }

    public required string Scheduler { get; init; }

    /// <summary>The real server's endpoint; null for the requests no real server would take.</summary>
    public string? RealServer { get; init; }

    public int Weight { get; init; }

    public required int Requests { get; init; }

    /// <summary>Requests as a percentage of all simulated requests.</summary>
    public required double Percent { get; init; }
}
