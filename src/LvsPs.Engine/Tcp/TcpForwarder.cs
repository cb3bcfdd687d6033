using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Loop;
using LvsPs.Model;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// Listens on a TCP virtual service's VIP:port and starts a <see cref="TcpConnection"/> for each client. Where
/// connections are relayed on the event loops (Linux), every loop also waits on the listener
/// (EPOLLEXCLUSIVE, so one loop wakes per connection), accepts with accept4(2) and relays what it accepted itself: a new
/// connection wakes one thread. Otherwise several asynchronous accepts wait on .NET's socket engine.
/// </summary>
internal sealed class TcpForwarder : IForwarder
{
    /// <summary>A large backlog: a small one drops SYNs under load and shows up as 1 s latency spikes.</summary>
    private const int Backlog = 4096;

    private readonly ManagedService _service;
    private readonly EngineContext _context;
    private Socket _listener;
    private bool _inherited;
    private volatile bool _released;
    private bool _accepting;
    private readonly List<AcceptHandler> _acceptors = new();
    private volatile bool _stopped;
    private readonly CancellationTokenSource _stopping = new(); // ends the prefaces still reading when the service stops

    public TcpForwarder(ManagedService service, EngineContext context)
    {
        _service = service;
        _context = context;
        var id = service.Settings.Id;
        _listener = new Socket(id.Address!.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (id.Address.AddressFamily == AddressFamily.InterNetworkV6) _listener.DualMode = false;
    }

    public Socket Listener => _listener;

    public void Release()
    {
        _released = true;
        _stopped = true;
        lock (_acceptors)
        {
            foreach (var acceptor in _acceptors) acceptor.Loop.Unregister(_listener.SafeHandle);
        }
        StopAcceptors();
    }

    /// <summary>
    /// Accepts what is queued now, once, on the first loop: after a hand-over the old process may have taken the
    /// exclusive wake-up of a connection still in the queue, and no later wake-up would come for it.
    /// </summary>
    public void AcceptPending()
    {
        AcceptHandler? first;
        lock (_acceptors) first = _acceptors.Count > 0 ? _acceptors[0] : null;
        first?.OnEvent(0, EventLoop.In);
    }

    public void Start()
    {
        var id = _service.Settings.Id;
        var endPoint = new IPEndPoint(id.Address!, id.Port);
        if (_service.InheritedListener is { } handle)
        {
            // already bound and listening: handed over by the previous process (ManagedDirectorOptions.InheritedListeners)
            _listener.Dispose();
            _listener = new Socket(handle);
            _inherited = true;
        }
        try
        {
            if (!_inherited)
            {
                if (_service.BindNonLocalAddresses) RawSocket.SetFreeBind(_listener);
                _listener.Bind(endPoint);
                _listener.Listen(Backlog);
            }
        }
        catch (SocketException e)
        {
            _listener.Dispose();
            throw SocketErrors.BindFailed(id, endPoint, e);
        }
        if (!(_inherited && _service.HoldAccepting)) StartAccepting();
    }

    public void StartAccepting()
    {
        if (_stopped) return;
        lock (_acceptors)
        {
            if (_accepting) return;
            _accepting = true;
        }
        if (StartOnLoops()) return;
        // several accepts outstanding, as many as cores (at least two): connections are taken off the queue in parallel
        for (int i = 0; i < Math.Max(2, Environment.ProcessorCount); i++) _ = AcceptLoopAsync();
    }

    /// <summary>Registers the listener with every event loop; false when connections are not relayed on loops.</summary>
    private bool StartOnLoops()
    {
        if (_context.TcpLoops is not { } loops) return false;
        _listener.Blocking = false;
        foreach (var loop in loops.All)
        {
            var acceptor = new AcceptHandler(this, loop);
            if (!loop.Register(acceptor, _listener.SafeHandle, null, EventLoop.In | EventLoop.Exclusive))
            {
                StopAcceptors();
                _listener.Blocking = true;
                return false;
            }
            lock (_acceptors) _acceptors.Add(acceptor);
        }
        return true;
    }

    private void StopAcceptors()
    {
        lock (_acceptors)
        {
            foreach (var acceptor in _acceptors) acceptor.Loop.Release(acceptor);
            _acceptors.Clear();
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopped)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (!_stopped)
            {
                continue; // a client that went away between SYN and accept
            }
            catch (SocketException)
            {
                return;
            }
            Dispatch(client);
        }
    }

    private void Dispatch(Socket client)
    {
        if (client.RemoteEndPoint is not IPEndPoint remote)
        {
            client.Dispose();
            return;
        }
        Dispatch(new TcpEnd(client), PeerAddress.From(remote), loop: null);
    }

    /// <summary>Schedules the accepted connection straight from its peer's address and starts relaying it (on
    /// <paramref name="loop"/> when given).</summary>
    private void Dispatch(TcpEnd client, in PeerAddress peer, EventLoop? loop)
    {
        if (_service.Preface is { } preface)
        {
            Socket socket;
            try
            {
                socket = client.AsSocket(); // a preface reads the client asynchronously
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                client.Close(abort: true);
                return;
            }
            _ = AdmitAsync(preface, socket, peer.ToEndPoint(), loop);
            return;
        }
        var scheduled = _service.Schedule(peer);
        if (scheduled is null)
        {
            // no destination available: IPVS drops the SYN; a proxy resets the accepted connection
            client.Close(abort: true);
            return;
        }
        // a plain connection may move to the fast path once established (TcpConnection.TryFastPath: not with a helper)
        var connection = new TcpConnection(_service, scheduled, client, peer, _context) { Loop = loop, FastPath = _context.FastPath };
        connection.Filter = _context.Helpers.Attach(connection, _context);
        connection.Start();
    }

    /// <summary>
    /// A service with a preface (content rules, PROXY protocol, transparent mode): the preface reads what it needs from
    /// the client and picks the group, then the connection is scheduled in that group and relayed with the preface's
    /// prelude written to the real server first.
    /// </summary>
    private async Task AdmitAsync(ITcpPreface preface, Socket client, IPEndPoint remote, EventLoop? loop)
    {
        TcpAdmission? admission;
        Interlocked.Increment(ref _service.PendingPrefaces);
        try
        {
            admission = await preface.AdmitAsync(client, remote, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            client.Dispose();
            return;
        }
        finally
        {
            Interlocked.Decrement(ref _service.PendingPrefaces);
        }
        if (admission is null) return; // refused and closed by the preface
        if (_stopped)
        {
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            return;
        }
        var peer = PeerAddress.From(admission.Client);
        var scheduled = _service.Schedule(peer, admission.Group);
        if (scheduled is null)
        {
            preface.Refuse(client, admission);
            return;
        }
        var connection = new TcpConnection(_service, scheduled, new TcpEnd(client), peer, _context, preface.ConnectFrom(admission))
        {
            Loop = loop,
            Prelude = preface.Prelude(admission, scheduled.RealServer),
        };
        if (!admission.Buffered.IsEmpty) connection.AddIn(0, admission.Buffered.Length); // read from the client by the preface
        connection.Start();
    }

    public void Dispose()
    {
        _stopped = true;
        _stopping.Cancel();
        StopAcceptors();
        // a socket handed over stays open until the process ends: .NET may shut a socket down on close, which would
        // stop it for the process that took it over as well
        if (_released) _listener.SafeHandle.SetHandleAsInvalid();
        else _listener.Dispose();
    }

    /// <summary>The listener on one event loop: each event takes what is queued (up to a budget; the registration is
    /// level-triggered, so the loop comes back for the rest) and relays it on this loop.</summary>
    private sealed class AcceptHandler(TcpForwarder owner, EventLoop loop) : LoopHandler
    {
        private const int Budget = 32;

        public EventLoop Loop => loop;

        internal override void OnEvent(int side, uint events)
        {
            Span<byte> address = stackalloc byte[PeerAddress.MaxSockAddr];
            for (int i = 0; i < Budget && !owner._stopped; i++)
            {
                SocketFd? client;
                int length;
                try
                {
                    // accept4(2) straight into an owned descriptor, non-blocking and close-on-exec: no .NET Socket
                    client = SocketFd.Accept(owner._listener.SafeHandle, address, out length);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    return; // e.g. out of descriptors: the connection stays queued until one is free
                }
                if (client is null) return;
                if (!PeerAddress.TryRead(address[..length], out var peer))
                {
                    client.Dispose();
                    continue;
                }
                owner.Dispatch(new TcpEnd(client), peer, loop);
            }
        }
    }
}
