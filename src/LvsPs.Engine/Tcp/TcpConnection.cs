using System.Net;
using System.Net.Sockets;
using LvsPs.Engine.Connections;
using LvsPs.Engine.Loop;
using LvsPs.Model;
using LvsPs.Scheduling.Persistence;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// A client's TCP connection relayed to a real server (masquerading by proxy). Each direction is pumped with one pooled
/// buffer, reading only after the previous write completed, so a slow reader holds back its writer (back-pressure). A
/// FIN from one side is passed on as a shutdown of the other side's sending half; the connection ends when both
/// directions have ended. A reset or an error on either side aborts both.
/// </summary>
internal sealed partial class TcpConnection : EngineConnection
{
    /// <summary>IPVS keeps a closed connection in TIME_WAIT for 2 minutes (ip_vs_proto_tcp.c tcp_timeouts); not settable.</summary>
    private static readonly TimeSpan TimeWaitTimeout = TimeWaitRecords.Timeout;

    /// <summary>A connection not yet established is kept as long as IPVS keeps SYN_RECV (1 minute).</summary>
    private static readonly TimeSpan SynRecvTimeout = TimeSpan.FromMinutes(1);

    /// <summary>After a reset, the entry stays in CLOSE for 10 seconds, as IPVS does.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(10);

    private readonly EngineContext _context;
    private TcpEnd? _client; // released when the relay ends: a TIME_WAIT entry holds no sockets
    private TcpEnd? _backend; // made when the relay starts, on the transport it takes
    private readonly IPEndPoint _connectTo;
    private readonly bool _connectClientSide;
    private readonly object _socketGate = new();
    private TcpState _state = TcpState.SynRecv;
    private int _directionsOpen = 2;
    private uint _lastClientSegs, _lastBackendSegs;
    private bool _socketsClosed;
    private TaskCompletionSource? _connectEnded; // made only when asked for (FTP active mode), so plain relays pay nothing

    private enum TcpState
    {
        SynRecv,
        Established,
        FinWait,
        TimeWait,
        Close,
    }

    public TcpConnection(ManagedService service, ScheduledServer scheduled, TcpEnd client, in PeerAddress remote, EngineContext context, IPEndPoint? connectFrom = null)
        : this(service, scheduled.RealServer, client, remote, backendSide: null,
            scheduled.RealServer.EndPoint, connectClientSide: false, context, scheduled.Template)
    {
        _connectFrom = connectFrom;
    }

    private readonly IPEndPoint? _connectFrom;

    /// <summary>Bytes written to the real server before the relay starts (a PROXY header, what a preface read from the
    /// client); set before <see cref="Start"/>.</summary>
    public ReadOnlyMemory<byte> Prelude { get; init; }

    /// <summary>
    /// A relay between <paramref name="clientSide"/> (the client's side, counted "in") and <paramref name="backendSide"/>
    /// (the real server's side, counted "out"), of which the one named by <paramref name="connectClientSide"/> is
    /// connected to <paramref name="connectTo"/> when the relay runs and the other is already connected. A null
    /// <paramref name="backendSide"/> is made when the relay starts, on the transport it takes. Application helpers use it
    /// for the data connections they expect (FTP active mode connects the client's side).
    /// </summary>
    internal TcpConnection(ManagedService service, RealServerRuntime realServer, TcpEnd clientSide, in PeerAddress client, TcpEnd? backendSide,
        IPEndPoint connectTo, bool connectClientSide, EngineContext context, PersistenceTemplate? template = null)
        : base(service, realServer, client, active: false, template)
    {
        _client = clientSide;
        _backend = backendSide;
        _connectTo = connectTo;
        _connectClientSide = connectClientSide;
        _context = context;
    }

    internal static Socket NewSocket(AddressFamily family) => new(family, SocketType.Stream, ProtocolType.Tcp);

    /// <summary>The event loop to relay on (the one that accepted the connection), or null for the next one.</summary>
    public EventLoop? Loop { get; init; }

    /// <summary>The application helper inspecting this connection, if its service has one; set before <see cref="Start"/>.</summary>
    public ITcpStreamFilter? Filter { get; set; }

    /// <summary>The director's address on the client's side (the VIP the client reached).</summary>
    public IPAddress? ClientSideLocalAddress => _client?.LocalAddress;

    /// <summary>The director's address on the real server's side, once connected (what the real server sees as its client).</summary>
    public IPAddress? BackendSideLocalAddress => _backend?.LocalAddress;

    public override LvsProtocol Protocol => LvsProtocol.Tcp;

    public override string State => _state switch
    {
        TcpState.SynRecv => "SYN_RECV",
        TcpState.Established => "ESTABLISHED",
        TcpState.FinWait => "FIN_WAIT",
        TcpState.TimeWait => "TIME_WAIT",
        _ => "CLOSE",
    };

    public override TimeSpan IdleTimeout(LvsTimeouts timeouts) => _state switch
    {
        TcpState.SynRecv => SynRecvTimeout,
        TcpState.Established => TimeSpan.FromSeconds(timeouts.Tcp),
        TcpState.FinWait => TimeSpan.FromSeconds(timeouts.TcpFin),
        TcpState.TimeWait => TimeWaitTimeout,
        _ => CloseTimeout,
    };

    /// <summary>
    /// The one place a relay is chosen: the event loop to splice on (the one that accepted the connection, or the next
    /// of the director's), or null for the asynchronous relay through a buffer (an application helper inspects the bytes,
    /// the client's side is the one to connect, or the director has no loops).
    /// </summary>
    private EventLoop? RelayLoop() => !_connectClientSide && Filter is null ? Loop ?? _context.TcpLoops?.Next() : null;

    /// <summary>Connects to the real server and relays until both directions end.</summary>
    public async Task RunAsync()
    {
        var loop = RelayLoop();
        TcpEnd client, backend;
        Socket? clientSocket = null, backendSocket = null;
        try
        {
            lock (_socketGate)
            {
                if (_socketsClosed) return; // expired before it started
                client = _client!;
                backend = _backend ??= loop is null ? new TcpEnd(NewSocket(_connectTo.AddressFamily)) : TcpEnd.Create(_connectTo.AddressFamily);
                if (loop is null)
                {
                    clientSocket = client.AsSocket();
                    backendSocket = backend.AsSocket();
                }
            }
            RawSocket.SetNoDelay(client.Handle);
            RawSocket.SetNoDelay(backend.Handle);
            // no CAP_NET_ADMIN, or the address is taken: reset, as a failed connect does
            if (_connectFrom is not null) TransparentSource.Bind(backend.Handle, _connectFrom);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Finish(TcpState.Close, abort: true);
            return;
        }
        if (loop is not null)
        {
            StartSpliced(loop, client, backend); // the loop connects and relays; no task waits for this connection
            return;
        }
        try
        {
            await (_connectClientSide ? clientSocket! : backendSocket!).ConnectAsync(_connectTo).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            Finish(TcpState.Close, abort: true);
            return;
        }
        if (!Establish()) return;
        if (!Prelude.IsEmpty)
        {
            try
            {
                await backendSocket!.SendAsync(Prelude, SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                Finish(TcpState.Close, abort: true);
                return;
            }
        }
        await Task.WhenAll(CopyAsync(clientSocket!, backendSocket!, inbound: true), CopyAsync(backendSocket!, clientSocket!, inbound: false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Completes when the connect this relay makes is over: the side it connects accepted (ESTABLISHED), or the relay
    /// ended before (refused, reset, expired). An application helper waits on it to keep its protocol's order.
    /// </summary>
    internal Task ConnectEnded()
    {
        lock (this)
        {
            if (_state != TcpState.SynRecv) return Task.CompletedTask;
            _connectEnded ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _connectEnded.Task;
        }
    }

    /// <summary>The real server accepted: SYN_RECV -> ESTABLISHED (active); false when the entry expired meanwhile.</summary>
    private bool Establish()
    {
        TaskCompletionSource? connectEnded;
        lock (this)
        {
            if (_state != TcpState.SynRecv) return false;
            _state = TcpState.Established;
            SetActive(true);
            connectEnded = _connectEnded;
        }
        connectEnded?.TrySetResult();
        Touch();
        StateChanged();
        return true;
    }

    private void DirectionEnded()
    {
        int left = Interlocked.Decrement(ref _directionsOpen);
        if (left == 1)
        {
            lock (this)
            {
                if (_state == TcpState.Established)
                {
                    _state = TcpState.FinWait;
                    SetActive(false);
                }
            }
            Touch();
            StateChanged();
        }
        else if (left == 0)
        {
            Finish(TcpState.TimeWait, abort: false);
        }
    }

    /// <summary>Ends the relay: counts the last segments, closes both sockets, and leaves the entry in its final state.</summary>
    private void Finish(TcpState final, bool abort)
    {
        TaskCompletionSource? connectEnded;
        lock (this)
        {
            if (_state is TcpState.TimeWait or TcpState.Close) return;
            _state = final;
            if (Active) SetActive(false);
            connectEnded = _connectEnded;
        }
        connectEnded?.TrySetResult();
        CloseSockets(abort);
        Filter?.Closed();
        Touch();
        if (final == TcpState.TimeWait && Table is { } table) table.EnterTimeWait(this); // kept as a compact record
        else StateChanged();
    }

    private void CloseSockets(bool abort)
    {
        lock (_socketGate)
        {
            if (_socketsClosed) return;
            SampleLocked();
            _socketsClosed = true;
        }
        Interlocked.Exchange(ref _fast, null)?.Close(); // the last counts, and both sockets leave the fast path before closing
        // abort: send RST, as the peer's reset did
        _client?.Close(abort);
        _backend?.Close(abort);
        _client = _backend = null;
        Interlocked.Exchange(ref _relay, null)?.Close(); // a TIME_WAIT entry keeps neither the relay nor its sockets
    }

    public override void Sample()
    {
        lock (_socketGate)
        {
            if (!_socketsClosed) SampleLocked();
        }
    }

    private void SampleLocked()
    {
        // bytes the fast path moved never passed through user space: the verdict program counted them
        if (Volatile.Read(ref _fast) is { } fast && fast.Fold()) Touch();
        // segments the client sent us are IPVS's "in" packets; segments the real server sent us are its "out" packets
        if (_client is { } client && TcpInfo.TryGetSegmentsIn(client.Handle, out var clientSegs))
        {
            AddIn(clientSegs - _lastClientSegs, 0);
            _lastClientSegs = clientSegs;
        }
        if (_state != TcpState.SynRecv && _backend is { } backend && TcpInfo.TryGetSegmentsIn(backend.Handle, out var backendSegs))
        {
            AddOut(backendSegs - _lastBackendSegs, 0);
            _lastBackendSegs = backendSegs;
        }
    }

    /// <summary>On the fast path user space sees no bytes: what the verdict program counted since the last look is
    /// activity (folded into the counters, and the entry touched) before the entry is judged idle.</summary>
    public override void CatchUp()
    {
        if (Volatile.Read(ref _fast) is { } fast && fast.Fold()) Touch();
    }

    public override void Expire()
    {
        // idle too long (or the director stops): a live relay is reset, as the peers would find it gone
        Finish(TcpState.Close, abort: true);
        Unbind();
    }

    /// <summary>Starts the relay in the background and removes the entry from the table if it never established.</summary>
    public void Start()
    {
        _context.Table.Add(this);
        _ = RunAsync().ContinueWith(
            t => { _ = t.Exception; },
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }
}
