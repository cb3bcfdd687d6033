using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Loop;
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
    private readonly byte[] _clientSockAddr = new byte[PeerAddress.MaxSockAddr];
    private readonly int _clientSockAddrLength;
    private ReplyHandler? _replies;
    private volatile bool _closed;

    public UdpFlow(ManagedService service, ScheduledServer scheduled, in PeerAddress peer, UdpForwarder forwarder)
        : base(service, scheduled.RealServer, peer, active: false, scheduled.OnePacket ? null : scheduled.Template)
    {
        _forwarder = forwarder;
        _clientSockAddrLength = peer.Write(_clientSockAddr);
        try
        {
            _backend = new Socket(scheduled.RealServer.EndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            _backend.Connect(scheduled.RealServer.EndPoint);
        }
        catch
        {
            _backend?.Dispose();
            Unbind(); // the constructor of the base class counted it
            throw;
        }
    }

    public override LvsProtocol Protocol => LvsProtocol.Udp;

    public override string State => "UDP";

    public override TimeSpan IdleTimeout(LvsTimeouts timeouts) => TimeSpan.FromSeconds(timeouts.Udp);

    /// <summary>Starts relaying the real server's replies: on <paramref name="loop"/>, or with .NET's asynchronous receives.</summary>
    public void StartReplies(EventLoop? loop)
    {
        if (loop is null)
        {
            _ = ReplyLoopAsync();
            return;
        }
        _backend.Blocking = false;
        var replies = new ReplyHandler(this, loop);
        _replies = replies;
        if (!replies.Register()) Expire();
        else if (_closed) loop.Release(replies); // expired while registering
    }

    /// <summary>On the loop's thread: sends one client datagram to the real server (dropped when its queue is full).</summary>
    public void Forward(ReadOnlySpan<byte> datagram)
    {
        Touch();
        AddIn(1, datagram.Length);
        try
        {
            RawSocket.Send(_backend.SafeHandle, datagram);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // e.g. ICMP port unreachable from an earlier datagram: the datagram is lost, as it would be on the wire
        }
    }

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
        var client = Client; // made once for the flow's replies
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
            await _forwarder.SendToClientAsync(buffer.AsMemory(0, n), client).ConfigureAwait(false);
        }
    }

    public override void Expire()
    {
        _closed = true;
        _forwarder.Forget(this);
        if (_replies is { } replies) replies.Loop.Release(replies);
        _backend.Dispose();
        Unbind();
    }

    /// <summary>The flow's socket to the real server on the loop: each event reads every queued reply and sends it on.</summary>
    private sealed class ReplyHandler(UdpFlow flow, EventLoop loop) : LoopHandler
    {
        private const int Budget = 64;

        public EventLoop Loop => loop;

        public bool Register() => loop.Register(this, flow._backend.SafeHandle, null, EventLoop.In);

        internal override void OnEvent(int side, uint events)
        {
            var buffer = loop.Buffer;
            int errors = 0;
            for (int i = 0; i < Budget && !flow._closed; i++)
            {
                int n;
                try
                {
                    n = RawSocket.Receive(flow._backend.SafeHandle, buffer); // 0 is an empty datagram, sent on as one
                }
                catch (IOException) when (++errors < 4)
                {
                    continue; // ICMP errors surface here once each on a connected UDP socket; keep the flow
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    return;
                }
                if (n < 0) return;
                flow.Touch();
                flow.AddOut(1, n);
                flow._forwarder.SendToClient(buffer.AsSpan(0, n), flow._clientSockAddr.AsSpan(0, flow._clientSockAddrLength));
            }
        }
    }
}
