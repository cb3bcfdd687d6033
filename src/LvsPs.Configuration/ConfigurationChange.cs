using LvsPs.Model;

namespace LvsPs.Configuration;

/// <summary>Whether a difference adds, changes or removes something.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum ChangeAction : long
{
    Add,
    Change,
    Remove,
}

/// <summary>What a difference is about.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum ChangeTarget : long
{
    VirtualService,
    RealServer,
    Timeouts,
    HealthCheck,
    SyncDaemon,
    Failover,
    Bgp,
}

/// <summary>
/// One difference between a desired state and the live director (Compare-LvsConfiguration writes these, and DSC's
/// Reasons are made from them): what is added, changed (one object per property, with From and To) or removed, and
/// the director change that repairs it.
/// </summary>
public sealed record ConfigurationChange
{
    public required ChangeAction Action { get; init; }
    public required ChangeTarget Target { get; init; }

    /// <summary>The virtual service's identity, or null for timeouts and sync daemons.</summary>
    internal VirtualServiceId? ServiceId { get; init; }

    /// <summary>The virtual service's identity string (tcp/192.168.0.1:80), or null for timeouts and sync daemons.</summary>
    public string? VirtualService => ServiceId?.ToString();

    /// <summary>The real server (address:port), or null.</summary>
    public string? RealServer { get; init; }

    /// <summary>The property that differs, for a change; null for an add or remove.</summary>
    public string? Property { get; init; }

    public object? From { get; init; }
    public object? To { get; init; }

    /// <summary>The director change that makes this difference go away (internal: a record of settings records).</summary>
    internal DirectorChange Change { get; init; } = null!;

    /// <summary>A stable code for DSC reasons, e.g. LvsPs:RealServer:Change:Weight.</summary>
    public string Code => $"LvsPs:{Target}:{Action}" + (Property is null ? "" : ":" + Property);

    /// <summary>What this difference is, in a sentence.</summary>
    public string Description
    {
        get
        {
            var what = Target switch
            {
                ChangeTarget.VirtualService => $"virtual service {VirtualService}",
                ChangeTarget.RealServer => $"real server {RealServer} of {VirtualService}",
                ChangeTarget.HealthCheck => $"health check of {VirtualService}",
                ChangeTarget.Timeouts => "timeouts",
                ChangeTarget.Failover => "the failover pair",
                ChangeTarget.Bgp => "the BGP announcements",
                _ => $"sync daemon {RealServer}",
            };
            return Action switch
            {
                ChangeAction.Add => $"Add {what}" + (To is null ? "" : $" ({To})"),
                ChangeAction.Remove => $"Remove {what}" + (From is null ? "" : $" ({From})"),
                _ => $"Change {Property} of {what} from {Show(From)} to {Show(To)}",
            };
        }
    }

    public override string ToString() => Description;

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string s when s.Length == 0 => "(none)",
        _ => value.ToString()!,
    };
}
