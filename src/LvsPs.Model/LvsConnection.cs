using System.Net;

namespace LvsPs.Model;

/// <summary>One entry of a director's connection table (ipvsadm -L -c, /proc/net/ip_vs_conn).</summary>
public sealed record LvsConnection
{
    public required LvsProtocol Protocol { get; init; }
    public required IPAddress ClientAddress { get; init; }
    public required ushort ClientPort { get; init; }
    public required IPAddress VirtualAddress { get; init; }
    public required ushort VirtualPort { get; init; }
    public required IPAddress DestinationAddress { get; init; }
    public required ushort DestinationPort { get; init; }

    /// <summary>The protocol state as IPVS names it (ESTABLISHED, FIN_WAIT, TIME_WAIT, UDP, ...).</summary>
    public required string State { get; init; }

    /// <summary>Time left before the entry expires.</summary>
    public required TimeSpan Expires { get; init; }

    /// <summary>True while the connection counts as active (ipvsadm ActiveConn).</summary>
    public bool Active { get; init; }

    /// <summary>True for a persistence template rather than a real connection.</summary>
    public bool Template { get; init; }

    public override string ToString() =>
        $"{Protocol.ToString().ToUpperInvariant()} {EndpointText.Format(ClientAddress, ClientPort)} -> {EndpointText.Format(VirtualAddress, VirtualPort)} -> {EndpointText.Format(DestinationAddress, DestinationPort)} {State}";
}
