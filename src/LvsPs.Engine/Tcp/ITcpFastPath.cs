using System.Runtime.InteropServices;
using System.Net.Sockets;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// A way to relay an established plain TCP connection without user space moving its bytes (the BPF sockmap,
/// <see cref="Bpf.SockmapFastPath"/>). The connection's <see cref="SpliceRelay"/> offers it once, when the connection
/// reaches <see cref="Join"/> with nothing waiting in a pipe; when it declines, the connection stays spliced.
/// </summary>
internal interface ITcpFastPath
{
    /// <summary>When a spliced connection is offered to this path (<see cref="FastPathJoin"/>).</summary>
    FastPathJoin Join { get; }

    /// <summary>Links the two sockets so each one's data goes out of the other; null when it cannot (no free slot, a
    /// socket no longer established, the kernel refused), and nothing was relayed. Throws <see cref="IOException"/>
    /// when it failed half way, after bytes may have been relayed or dropped: the connection must then be reset.</summary>
    IFastRelayLink? Link(SafeHandle client, SafeHandle backend);
}

/// <summary>One connection on a fast path; disposing it takes both sockets off the path (they stay open).</summary>
internal interface IFastRelayLink : IDisposable
{
    /// <summary>What has been relayed so far: bytes and messages from the client's side (in) and the real server's (out).</summary>
    FastRelayCounts Read();

    /// <summary>
    /// Whether every byte the client's side (<paramref name="inbound"/>) or the real server's side sent has gone into
    /// the other socket: the sending socket has nothing unread and the other socket took all that was relayed. A FIN is
    /// passed on only then, or it would overtake bytes still on their way.
    /// </summary>
    bool Delivered(bool inbound);
}

/// <summary>Bytes and messages (reads the kernel relayed as one) each way.</summary>
internal readonly record struct FastRelayCounts(long BytesIn, long MessagesIn, long BytesOut, long MessagesOut);
