using LvsPs.Model;

namespace LvsPs.Scheduling;

/// <summary>
/// What a scheduler may look at when it picks a destination for a new connection: the first packet's addresses,
/// ports and protocol, and the time. Passed by reference; it allocates nothing.
/// </summary>
public readonly struct SchedulingRequest
{
    public SchedulingRequest(LvsProtocol protocol, NetAddress clientAddress, ushort clientPort, NetAddress destinationAddress, ushort destinationPort, long timestamp = 0)
    {
        Protocol = protocol;
        ClientAddress = clientAddress;
        ClientPort = clientPort;
        DestinationAddress = destinationAddress;
        DestinationPort = destinationPort;
        Timestamp = timestamp;
    }

    public LvsProtocol Protocol { get; }

    /// <summary>The client's address (CIP): what sh and mh hash.</summary>
    public NetAddress ClientAddress { get; }

    public ushort ClientPort { get; }

    /// <summary>The packet's destination address (the VIP): what dh, lblc and lblcr key on.</summary>
    public NetAddress DestinationAddress { get; }

    public ushort DestinationPort { get; }

    /// <summary>The time of the decision in <see cref="ISchedulingClock"/> ticks (for schedulers with caches).</summary>
    public long Timestamp { get; }
}
