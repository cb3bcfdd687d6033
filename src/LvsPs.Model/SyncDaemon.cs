using System.Net;
using LvsPs.Model.Settings;

namespace LvsPs.Model;

/// <summary>Which side of connection synchronisation a sync daemon plays (IP_VS_STATE_MASTER 1, IP_VS_STATE_BACKUP 2).</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum SyncDaemonRole : long
{
    Master = 1,
    Backup = 2,
}

/// <summary>A connection-synchronisation daemon (ipvsadm --start-daemon) and its options.</summary>
public sealed record SyncDaemon
{
    public required SyncDaemonRole Role { get; init; }
    public required string Interface { get; init; }
    public byte SyncId { get; init; }
    /// <summary>Largest sync message, 0 for the kernel's default (from the interface MTU).</summary>
    public ushort MaxLength { get; init; }
    /// <summary>Multicast group; null for the default 224.0.0.81.</summary>
    [System.Text.Json.Serialization.JsonInclude]
    internal IPAddress? GroupAddress { get; init; }
    /// <summary>The multicast group as text; null for the default 224.0.0.81.</summary>
    public string? Group => GroupAddress?.ToString();
    /// <summary>UDP port; 0 for the default 8848.</summary>
    public ushort Port { get; init; }
    /// <summary>Multicast TTL; 0 for the default 1.</summary>
    public byte Ttl { get; init; }

    /// <summary>The sync id, the kernel's 8-bit syncid (IPVS_DAEMON_ATTR_SYNC_ID).</summary>
    public static readonly ValueRange SyncIdRange = ValueRange.Bits(8);

    /// <summary>Largest sync message, port: the kernel's 16-bit attributes (IPVS_DAEMON_ATTR_SYNC_MAXLEN, _MCAST_PORT).</summary>
    public static readonly ValueRange ShortRange = ValueRange.Bits(16);

    /// <summary>Multicast TTL, the kernel's 8-bit IPVS_DAEMON_ATTR_MCAST_TTL.</summary>
    public static readonly ValueRange TtlRange = ValueRange.Bits(8);
}
