using System.Net;
using System.Net.Sockets;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// What a virtual service does with a new client connection before the scheduler sees it, beside the application
/// helper (<see cref="ITcpStreamFilter"/>): read a PROXY header from a load balancer in front, read the first HTTP
/// request or TLS ClientHello for content rules, say what to write to the real server first (a PROXY header and the
/// bytes it read) and where to connect from. A service without one (plain layer 4) pays nothing. Implemented in
/// <c>Preface/</c>; the forwarder only calls it.
/// </summary>
internal interface ITcpPreface
{
    /// <summary>Whether <see cref="AdmitAsync"/> reads from the client (else it completes at once).</summary>
    bool ReadsClient { get; }

    /// <summary>
    /// Reads what the service needs from the start of <paramref name="client"/> (bounded in size and time) and decides
    /// the client's endpoint and the group of real servers; null when the connection was refused (answered with an
    /// HTTP error or reset, and closed).
    /// </summary>
    /// <param name="client">The accepted connection.</param>
    /// <param name="peer">Its peer (the client, or a load balancer in front).</param>
    /// <param name="stopping">Cancelled when the service stops: the connection is reset at once.</param>
    ValueTask<TcpAdmission?> AdmitAsync(Socket client, IPEndPoint peer, CancellationToken stopping);

    /// <summary>No real server could take the admitted connection: answers the client (503 for HTTP) or resets it, and closes it.</summary>
    void Refuse(Socket client, TcpAdmission admission);

    /// <summary>What to write to <paramref name="server"/> before relaying (a PROXY header, then the bytes read from
    /// the client); empty for nothing.</summary>
    ReadOnlyMemory<byte> Prelude(TcpAdmission admission, RealServerRuntime server);

    /// <summary>The local endpoint to connect to the real server from (the client's own, transparent mode), or null.</summary>
    IPEndPoint? ConnectFrom(TcpAdmission admission);
}

/// <summary>
/// What <see cref="ITcpPreface.AdmitAsync"/> decided: the client (as the PROXY header named it, or the peer), the
/// address it connected to, the content-routing group (null: the ungrouped real servers), the bytes already read from
/// the client that the real server must get, and whether the client spoke HTTP (errors are then answered in HTTP).
/// </summary>
internal sealed record TcpAdmission(IPEndPoint Client, IPEndPoint Destination, string? Group, ReadOnlyMemory<byte> Buffered, bool Http);
