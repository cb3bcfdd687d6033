using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>One previewed decision of Test-LvsScheduling: where a client's new connection would go.</summary>
public sealed record SchedulingPreview
{
    public required VirtualServiceId VirtualService { get; init; }

    public required string Scheduler { get; init; }

    public required IPAddress ClientAddress { get; init; }

    public required ushort ClientPort { get; init; }

    /// <summary>The chosen real server; null when the scheduler finds none (the connection would be dropped).</summary>
    public RealServerId? RealServer { get; init; }

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
    public required VirtualServiceId VirtualService { get; init; }

    public required string Scheduler { get; init; }

    /// <summary>The real server; null for the requests no real server would take.</summary>
    public RealServerId? RealServer { get; init; }

    public int Weight { get; init; }

    public required int Requests { get; init; }

    /// <summary>Requests as a percentage of all simulated requests.</summary>
    public required double Percent { get; init; }
}
