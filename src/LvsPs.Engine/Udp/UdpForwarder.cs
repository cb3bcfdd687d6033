using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Loop;

namespace LvsPs.Engine.Udp;

/// <summary>
/// Receives a UDP virtual service's datagrams on VIP:port and relays them through per-client <see cref="UdpFlow"/>s.
/// On Linux the virtual address and every flow's socket are driven by one <see cref="EventLoop"/> thread with
/// recvfrom(2)/send(2)/sendto(2) in a loop until the socket is empty; elsewhere (or when told not to) by .NET's
/// asynchronous socket operations.
/// </summary>
internal sealed class UdpForwarder : IForwarder
{
    /// <summary>The largest UDP payload over IPv4 or IPv6 without jumbograms.</summary>
    public const int MaxDatagram = 65535;

    private readonly ManagedService _service;
    private readonly ConnectionTable _table;
    /// <summary>How long the flows of a process that handed its socket over still wait for replies before they end.</summary>
    internal static readonly TimeSpan ReleasedFlowGrace = TimeSpan.FromSeconds(5);

    private Socket _socket;
    private bool _inherited;
    private volatile bool _released;
    private int _receiving;
    private readonly ConcurrentDictionary<PeerAddress, UdpFlow> _flows = new();
    private readonly IPEndPoint _anyRemote;
    private readonly EventLoop? _loop;
    private readonly VipHandler? _vip;
    private volatile bool _stopped;

    public UdpForwarder(ManagedService service, EngineContext context)
    {
        _service = service;
        _table = context.Table;
        var family = service.Settings.Id.Address!.AddressFamily;
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        if (family == AddressFamily.InterNetworkV6) _socket.DualMode = false;
        _anyRemote = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        _loop = context.Loops?.Next();
        if (_loop is not null) _vip = new VipHandler(this);
    }

    /// <summary>The loop that drives this service's sockets, or null when .NET's asynchronous operations do.</summary>
    internal EventLoop? Loop => _loop;

    public Socket Listener => _socket;

    /// <summary>
    /// After a hand-over: the new process reads the virtual address's datagrams now (the socket is shared). This one
    /// stops reading it but keeps it open, because its flows' replies still leave from it, and ends those flows after
    /// <see cref="ReleasedFlowGrace"/>, long enough for replies already on their way.
    /// </summary>
    public void Release()
    {
        _released = true;
        _stopped = true;
        if (_vip is not null)
        {
            // an epoll set watches the open file, which the new process keeps open: closing is not enough to leave it
            _loop!.Unregister(_socket.SafeHandle);
            _loop.Release(_vip);
        }
        _ = Task.Delay(ReleasedFlowGrace).ContinueWith(_ =>
        {
            foreach (var flow in _flows.Values) _table.Remove(flow);
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Datagrams have no accept queue: nothing waits.</summary>
    public void AcceptPending()
    {
    }

    /// <inheritdoc/>
    public void StartAccepting()
    {
        if (!StartReceiving()) throw new IOException($"The event loop would not take the socket of {_service.Settings.Id}.");
    }

    /// <summary>Starts reading the virtual address (once); false when the loop refused the socket.</summary>
    private bool StartReceiving()
    {
        if (_stopped || Interlocked.Exchange(ref _receiving, 1) != 0) return true;
        if (_loop is null)
        {
            _ = ReceiveLoopAsync();
            return true;
        }
        return _vip!.Register();
    }

    public void Start()
    {
        var id = _service.Settings.Id;
        var endPoint = new IPEndPoint(id.Address!, id.Port);
        if (_service.InheritedListener is { } handle)
        {
            // already bound: handed over by the previous process, which still sends its flows' replies from it
            _socket.Dispose();
            _socket = new Socket(handle);
            _inherited = true;
        }
        try
        {
            if (!_inherited)
            {
                if (_service.BindNonLocalAddresses) RawSocket.SetFreeBind(_socket);
                _socket.Bind(endPoint);
            }
            if (_loop is not null) _socket.Blocking = false;
            // a handed-over socket is read only once the restored director takes clients (ManagedDirector.AcceptHandedOver)
            if (!(_inherited && _service.HoldAccepting) && !StartReceiving()) throw new SocketException((int)SocketError.SocketError);
        }
        catch (SocketException e)
        {
            _socket.Dispose();
            throw SocketErrors.BindFailed(id, endPoint, e);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[MaxDatagram];
        while (!_stopped)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer.AsMemory(), SocketFlags.None, _anyRemote).ConfigureAwait(false);
            }
            catch (SocketException) when (!_stopped)
            {
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            var client = (IPEndPoint)result.RemoteEndPoint;
            var flow = FlowFor(PeerAddress.From(client));
            if (flow is null) continue; // no destination available: dropped, as IPVS drops it
            await flow.ForwardAsync(buffer.AsMemory(0, result.ReceivedBytes)).ConfigureAwait(false);
        }
    }

    /// <summary>The client's flow (opened and scheduled when it has none), or null when no destination is available.</summary>
    private UdpFlow? FlowFor(in PeerAddress peer)
    {
        if (_service.Settings.OnePacket) return OnePacketFlow(peer);
        return _flows.TryGetValue(peer, out var existing) ? existing : OpenFlow(peer);
    }

    /// <summary>
    /// One-packet scheduling (IP_VS_CONN_F_ONE_PACKET): every datagram is scheduled on its own. The client's flow is
    /// reused when the datagram goes to the same real server (so replies keep flowing back); otherwise a new flow
    /// takes its place and the old one ends at its idle timeout.
    /// </summary>
    private UdpFlow? OnePacketFlow(in PeerAddress peer)
    {
        var scheduled = _service.Schedule(peer);
        if (scheduled is null) return null;
        if (_flows.TryGetValue(peer, out var existing) && existing.RealServer == scheduled.RealServer) return existing;
        return OpenFlow(peer, scheduled);
    }

    private UdpFlow? OpenFlow(in PeerAddress peer, ScheduledServer? scheduled = null)
    {
        scheduled ??= _service.Schedule(peer);
        if (scheduled is null) return null;
        UdpFlow flow;
        try
        {
            flow = new UdpFlow(_service, scheduled, peer, this);
        }
        catch (SocketException)
        {
            return null;
        }
        _flows[peer] = flow;
        _table.Add(flow);
        flow.StartReplies(_loop);
        return flow;
    }

    internal async ValueTask SendToClientAsync(ReadOnlyMemory<byte> datagram, IPEndPoint client)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, client).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>On the loop's thread: a reply goes back to the client from the virtual address.</summary>
    internal void SendToClient(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> clientSockAddr)
    {
        try
        {
            RawSocket.SendTo(_socket.SafeHandle, datagram, clientSockAddr);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the client is gone or the service stopped: the reply is lost, as it would be on the wire
        }
    }

    internal void Forget(UdpFlow flow) => _flows.TryRemove(new KeyValuePair<PeerAddress, UdpFlow>(flow.Peer, flow));

    public void Dispose()
    {
        bool released = _released;
        _stopped = true;
        if (_vip is not null && !released) _loop!.Release(_vip);
        // a socket handed over stays open until this process ends: .NET may shut a socket down on close, which would
        // stop it for the process that took it over as well
        if (released) _socket.SafeHandle.SetHandleAsInvalid();
        else _socket.Dispose();
    }

    /// <summary>The virtual address's socket on the loop: every queued datagram is read and sent on at each event.</summary>
    private sealed class VipHandler(UdpForwarder owner) : LoopHandler
    {
        /// <summary>At most this many datagrams per event before other sockets get their turn; the socket is registered
        /// level-triggered, so the loop comes back for whatever is left.</summary>
        private const int Budget = 64;

        public bool Register() => owner._loop!.Register(this, owner._socket.SafeHandle, null, EventLoop.In);

        internal override void OnEvent(int side, uint events)
        {
            var buffer = owner._loop!.Buffer;
            Span<byte> address = stackalloc byte[PeerAddress.MaxSockAddr];
            for (int i = 0; i < Budget && !owner._stopped; i++)
            {
                int n, length;
                try
                {
                    n = RawSocket.ReceiveFrom(owner._socket.SafeHandle, buffer, address, out length);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    return;
                }
                if (n < 0) return;
                if (!PeerAddress.TryRead(address[..length], out var peer)) continue;
                owner.FlowFor(peer)?.Forward(buffer.AsSpan(0, n));
            }
        }
    }
}
