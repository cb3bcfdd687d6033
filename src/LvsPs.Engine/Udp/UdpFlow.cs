using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Connections;
using LvsPs.Model;

namespace LvsPs.Engine.Udp;

/// <summary>
/// One client's UDP flow to a real server: a socket connected to the real server carries the client's datagrams there,
/// and its replies are sent back to the client from the virtual address. Expires after the udp timeout without traffic.
/// Like IPVS, UDP flows count as inactive connections.
/// </summary>
internal sealed class UdpFlow : EngineConnection
{
    private readonly UdpForwarder _forwarder;
    private readonly Socket _backend;
    private volatile bool _closed;

    public UdpFlow(ManagedService service, ScheduledServer scheduled, IPEndPoint client, UdpForwarder forwarder)
        : base(service, scheduled.RealServer, client, active: false, scheduled.OnePacket ? null : scheduled.Template)
    {
        _forwarder = forwarder;
        _backend = new Socket(scheduled.RealServer.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _backend.Connect(scheduled.RealServer.EndPoint);
    }

    public override LvsProtocol Protocol => LvsProtocol.Udp;

    public override string State => "UDP";

    public override TimeSpan IdleTimeout(LvsTimeouts timeouts) => TimeSpan.FromSeconds(timeouts.Udp);

    public void StartReplies() => _ = ReplyLoopAsync();

    /// <summary>Sends one client datagram to the real server.</summary>
    public async ValueTask ForwardAsync(ReadOnlyMemory<byte> datagram)
    {
        Touch();
        AddIn(1, datagram.Length);
        try
        {
            await _backend.SendAsync(datagram, SocketFlags.None).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // e.g. ICMP port unreachable from an earlier datagram: the datagram is lost, as it would be on the wire
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private async Task ReplyLoopAsync()
    {
        var buffer = new byte[UdpForwarder.MaxDatagram];
        while (!_closed)
        {
            int n;
            try
            {
                n = await _backend.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
            }
            catch (SocketException) when (!_closed)
            {
                continue; // ICMP errors surface here on a connected UDP socket; keep the flow
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            Touch();
            AddOut(1, n);
            await _forwarder.SendToClientAsync(buffer.AsMemory(0, n), Client).ConfigureAwait(false);
        }
    }

    public override void Expire()
    {
        _closed = true;
        _forwarder.Forget(this);
        _backend.Dispose();
        Unbind();
    }
}
