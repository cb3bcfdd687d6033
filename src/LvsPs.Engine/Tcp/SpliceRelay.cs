using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Engine.Loop;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// Both directions of one <see cref="TcpConnection"/> moved with splice(2) by an <see cref="EventLoop"/>: on a readiness
/// event the readable side is spliced into a pipe and the pipe into the other side; when that side's send buffer is
/// full, the bytes wait in the pipe for its next writable event (back-pressure). Everything but <see cref="Close"/>
/// runs on the loop's thread. Pipes are held only while bytes are in them, so an idle connection holds none.
/// <para>
/// A plain connection is offered to the fast path once (<see cref="TcpConnection.TryFastPath"/>) when it reaches the
/// fast path's <see cref="FastPathJoin"/> (turns of direction, bytes moved) with both pipes empty and neither side
/// ended; the bytes it has not read yet are then the fast path's.
/// </para>
/// </summary>
internal sealed class SpliceRelay : LoopHandler
{
    /// <summary>A read at least this large makes the next one a splice(2); smaller ones are copied.</summary>
    private const int BulkRead = 16 * 1024;

    private readonly TcpConnection _owner;
    private readonly EventLoop _loop;
    private readonly Direction _inbound, _outbound;
    private volatile bool _closed;

    private ReadOnlyMemory<byte> _prelude;

    // what the fast path's join policy counts: changes of direction, the current and the longest run of bytes one way,
    // the direction of the last move
    private int _turns;
    private long _run, _longestRun;
    private bool? _lastInbound;
    private bool _offered;

    public SpliceRelay(TcpConnection owner, EventLoop loop, SafeHandle client, SafeHandle backend, ReadOnlyMemory<byte> prelude = default)
    {
        _prelude = prelude;
        _owner = owner;
        _loop = loop;
        _inbound = new Direction(client, backend, inbound: true);
        _outbound = new Direction(backend, client, inbound: false);
        _offered = owner.FastPath is null; // no fast path: nothing to offer, nothing to count
    }

    /// <summary>Waiting for the real server's side to connect (its first writable event completes it).</summary>
    private bool _connecting;

    /// <summary>Hands the sockets to the loop (the real server's still <paramref name="connecting"/>); false when it
    /// cannot.</summary>
    public bool Start(bool connecting)
    {
        _connecting = connecting;
        if (!connecting && (!_owner.SpliceConnected() || !SendPrelude())) return false;
        if (!connecting && _inbound.Pending == 0 && JoinsAtConnect && Offer(detach: null))
        {
            _handedOver = true; // never registered: the fast path waits on the sockets
            return true;
        }
        return _loop.Register(this, _inbound.From, _outbound.From, EventLoop.StreamEvents);
    }

    /// <summary>The connection ended (its sockets are closed or about to be): the loop frees what the relay holds.</summary>
    public void Close()
    {
        _closed = true;
        _loop.Release(this);
    }

    /// <summary>The connection went to the fast path: this relay takes no more events.</summary>
    private bool _handedOver;

    private bool JoinsAtConnect => _owner.FastPath is { Join.AtOnce: true };

    /// <summary>The connection is offered to the fast path once, whatever it answers.</summary>
    private bool Offer(Action? detach)
    {
        _offered = true;
        return _owner.TryFastPath(_loop, detach);
    }

    /// <summary>Offers the connection to the fast path; when it takes it, the sockets leave this relay's epoll
    /// registration before the fast path registers them for hang-ups only (this relay keeps its slot, empty, until the
    /// connection closes it).</summary>
    private bool HandOver() => Offer(detach: () =>
    {
        _handedOver = true;
        _loop.Unregister(_inbound.From);
        _loop.Unregister(_outbound.From);
    });

    /// <summary>After an event's bytes moved: hands the connection over when it has reached the fast path's join policy,
    /// with nothing waiting in either pipe and neither side ended (a FIN already read stays with this relay); a
    /// connection the policy excludes (a run of bytes too long) is never offered.</summary>
    private void MaybeHandOver()
    {
        if (_offered || _closed || _owner.FastPath is not { } path) return;
        if (path.Join.Excluded(_longestRun))
        {
            _offered = true; // bulk: splice moves it for less CPU than the sockmap, and it stays here
            return;
        }
        if (_inbound.Pending > 0 || _outbound.Pending > 0 || _inbound.Ended || _outbound.Ended) return;
        if (path.Join.Reached(_turns, _longestRun)) HandOver();
    }

    /// <summary>Counts a move for the join policy (nothing once the connection was offered, or without a fast path).</summary>
    private void Counted(bool inbound, int bytes)
    {
        if (_offered) return;
        if (_lastInbound is { } last && last != inbound)
        {
            _turns++;
            _run = 0;
        }
        _lastInbound = inbound;
        _run += bytes;
        if (_run > _longestRun) _longestRun = _run;
    }

    /// <summary>A readiness event on the client's (side 0) or the real server's (side 1) socket.</summary>
    internal override void OnEvent(int side, uint events)
    {
        if (_handedOver) return;
        bool readable = (events & (EventLoop.In | EventLoop.RdHup | EventLoop.Hup | EventLoop.Err)) != 0;
        bool writable = (events & (EventLoop.Out | EventLoop.Hup | EventLoop.Err)) != 0;
        // the peer's FIN (or an error) was already there when the event was taken, so the socket is read to its end
        // even after a short read (no further edge will announce it)
        bool hangup = (events & (EventLoop.RdHup | EventLoop.Hup | EventLoop.Err)) != 0;
        if (_connecting)
        {
            if (side == 0 || !(writable || hangup)) return; // the client's events are caught up with once connected
            FinishConnect(failed: (events & (EventLoop.Err | EventLoop.Hup)) != 0);
            return;
        }
        var fromThis = side == 0 ? _inbound : _outbound;
        var intoThis = side == 0 ? _outbound : _inbound;
        if (readable) Pump(fromThis, hangup);
        if (writable && intoThis.Pending > 0) Pump(intoThis, hangup: false);
        if (!_offered) MaybeHandOver();
    }

    /// <summary>The real server's side became writable (connected) or reported an error or hang-up (<paramref name="failed"/>,
    /// when SO_ERROR tells which).</summary>
    private void FinishConnect(bool failed)
    {
        _connecting = false;
        int error = 0;
        try
        {
            if (failed) error = RawSocket.PendingError(_outbound.From);
        }
        catch (ObjectDisposedException)
        {
            error = -1;
        }
        if (failed && error == 0) error = -1; // a hang-up without an error code still means no connection
        if (error != 0)
        {
            _owner.SpliceFailed(); // refused or unreachable: reset the client, as a failed connect does
            return;
        }
        if (!_owner.SpliceConnected()) return;
        if (!SendPrelude())
        {
            _owner.SpliceFailed();
            return;
        }
        if (_inbound.Pending == 0 && JoinsAtConnect && HandOver()) return;
        Pump(_inbound, hangup: true); // whatever the client sent (or its FIN) while we connected
        Pump(_outbound, hangup: true);
        if (!_offered) MaybeHandOver();
    }

    /// <summary>
    /// Writes the prelude (a PROXY header, bytes a preface read) to the real server just connected; what its send buffer
    /// does not take waits in a pipe of the client's direction, drained before anything else the client sends.
    /// </summary>
    private bool SendPrelude()
    {
        if (_prelude.IsEmpty) return true;
        var prelude = _prelude.Span;
        _prelude = default;
        try
        {
            int sent = Math.Max(0, RawSocket.Send(_inbound.To, prelude));
            if (sent == prelude.Length) return true;
            _inbound.Pipe = SplicePipe.Rent() ?? throw new IOException("no pipe for splice (out of file descriptors).");
            _inbound.Pipe.Write(prelude[sent..]);
            _inbound.Pending = prelude.Length - sent;
            return true;
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private void Pump(Direction d, bool hangup)
    {
        try
        {
            while (!d.Ended && !_closed)
            {
                if (d.Pending > 0)
                {
                    int moved = d.Pipe!.Drain(d.To, d.Pending);
                    if (moved < 0)
                    {
                        d.MoreLikely = true; // read events seen while we wait are not seen again: try reading after the wait
                        return;
                    }
                    if (moved == 0) throw new IOException("splice moved nothing into the socket.");
                    d.Pending -= moved;
                    if (d.Pending > 0) continue;
                    ReturnPipe(d);
                    if (!d.MoreLikely && !hangup) return; // the last fill was short: nothing more until the socket's next event
                }
                int n = d.Bulk ? SpliceIn(d) : CopyThrough(d);
                if (n < 0) return;
                if (n == 0)
                {
                    d.Ended = true;
                    _owner.SpliceEnded(d.To);
                    return;
                }
                d.Bulk = n >= BulkRead;
                if (d.Pending == 0 && !d.MoreLikely && !hangup) return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            _owner.SpliceFailed();
        }
    }

    /// <summary>splice(2) from the socket into a pipe; what was moved is then drained by <see cref="Pump"/>.</summary>
    private int SpliceIn(Direction d)
    {
        d.Pipe ??= SplicePipe.Rent() ?? throw new IOException("no pipe for splice (out of file descriptors).");
        int n = d.Pipe.Fill(d.From);
        if (n <= 0) ReturnPipe(d);
        if (n > 0)
        {
            _owner.SpliceMoved(d.Inbound, n);
            Counted(d.Inbound, n);
            d.Pending = n;
            d.MoreLikely = true; // a splice stops when the pipe's 16 slots are used, not only when the socket is empty
        }
        return n;
    }

    /// <summary>recv(2) into the loop's buffer and send(2) on at once; what the destination does not take waits in a pipe.</summary>
    private int CopyThrough(Direction d)
    {
        var buffer = _loop.Buffer;
        int n = RawSocket.Receive(d.From, buffer);
        if (n <= 0) return n;
        _owner.SpliceMoved(d.Inbound, n);
        Counted(d.Inbound, n);
        d.MoreLikely = n == buffer.Length; // recv(2) takes all there is: a short read left the socket empty
        int sent = Math.Max(0, RawSocket.Send(d.To, buffer.AsSpan(0, n)));
        if (sent < n)
        {
            d.Pipe = SplicePipe.Rent() ?? throw new IOException("no pipe for splice (out of file descriptors).");
            d.Pipe.Write(buffer.AsSpan(sent, n - sent));
            d.Pending = n - sent;
        }
        return n;
    }

    private static void ReturnPipe(Direction d)
    {
        d.Pipe?.Return();
        d.Pipe = null;
    }

    /// <summary>On the loop's thread, once the connection ended: empty pipes go back to the pool, others are closed.</summary>
    internal override void OnReleased()
    {
        Release(_inbound);
        Release(_outbound);

        static void Release(Direction d)
        {
            if (d.Pending > 0) d.Pipe?.Dispose(); else d.Pipe?.Return();
            d.Pipe = null;
            d.Pending = 0;
        }
    }

    private sealed class Direction(SafeHandle from, SafeHandle to, bool inbound)
    {
        public SafeHandle From { get; } = from;
        public SafeHandle To { get; } = to;
        public bool Inbound { get; } = inbound;
        public SplicePipe? Pipe { get; set; }
        public int Pending { get; set; }
        public bool MoreLikely { get; set; }
        public bool Ended { get; set; }

        /// <summary>The last read was large: the next is spliced rather than copied.</summary>
        public bool Bulk { get; set; }
    }
}
