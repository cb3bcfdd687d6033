namespace LvsPs.Model;

/// <summary>One entry of a director's connection table (ipvsadm -L -c, /proc/net/ip_vs_conn).</summary>
public sealed record LvsConnection
{
    public required LvsProtocol Protocol { get; init; }
    /// <summary>The client's address as text.</summary>
    public required string ClientAddress { get; init; }
    public required ushort ClientPort { get; init; }
    /// <summary>The virtual address as text.</summary>
    public required string VirtualAddress { get; init; }
    public required ushort VirtualPort { get; init; }
    /// <summary>The real server's address as text.</summary>
    public required string DestinationAddress { get; init; }
    public required ushort DestinationPort { get; init; }

    /// <summary>The protocol state as IPVS names it (ESTABLISHED, FIN_WAIT, TIME_WAIT, UDP, ...).</summary>
    public required string State { get; init; }

    /// <summary>Seconds left before the entry expires (ipvsadm -c shows them as mm:ss).</summary>
    public required uint ExpiresSeconds { get; init; }

    /// <summary>True while the connection counts as active (ipvsadm ActiveConn).</summary>
    public bool Active { get; init; }

    /// <summary>True for a persistence template rather than a real connection.</summary>
    public bool Template { get; init; }

    public override string ToString() =>
        $"{Protocol.ToString().ToUpperInvariant()} {EndpointText.Format(ClientAddress, ClientPort)} -> {EndpointText.Format(VirtualAddress, VirtualPort)} -> {EndpointText.Format(DestinationAddress, DestinationPort)} {State}";
}
