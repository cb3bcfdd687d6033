using System.Runtime.InteropServices;
using System.Net.Sockets;
using LvsPs.Engine.Loop;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// A <see cref="TcpConnection"/> whose bytes an <see cref="ITcpFastPath"/> moves inside the kernel. User space no longer
/// reads: both sockets stay in the loop's epoll set for EPOLLRDHUP only (with EPOLLERR and EPOLLHUP, which epoll always
/// reports), so data wakes nobody (the kernel's wake-up for data carries EPOLLIN, which this registration does not ask
/// for: fs/eventpoll.c ep_poll_callback) and a FIN or a reset wakes the loop once.
/// <para>
/// A FIN cannot be passed on at once: it is announced (tcp_fin -> sk_state_change) before the bytes in front of it have
/// gone out of the other socket, which the kernel does later from a work item (net/core/skmsg.c sk_psock_backlog). So
/// the FIN is passed on (shutdown of the other socket's sending half) once the link says every byte in front of it was
/// delivered (<see cref="IFastRelayLink.Delivered"/>); until then it is checked again after a short pause on the loop's
/// own thread (<see cref="EventLoop.After"/>: no timer, no thread-pool hop), doubling up to 64 ms, for as long as the
/// connection lives (a reader that stopped reading holds it, as it would hold the splice path, until the idle timeout).
/// Events and checks run on the loop's thread; <see cref="Fold"/> and <see cref="Close"/> may come from others.
/// </para>
/// </summary>
internal sealed class FastRelay : LoopHandler
{
    private const int MaxPauseMs = 64;

    private readonly TcpConnection _owner;
    private readonly EventLoop _loop;
    private readonly SafeHandle _client, _backend;
    private readonly IFastRelayLink _link;
    private readonly object _gate = new();
    private readonly bool[] _finSeen = new bool[2], _finPassed = new bool[2];
    private readonly Action _checkAgain;
    private int _pauseMs = 1;
    private bool _closed;
    private FastRelayCounts _counted;

    public FastRelay(TcpConnection owner, EventLoop loop, SafeHandle client, SafeHandle backend, IFastRelayLink link)
    {
        _owner = owner;
        _loop = loop;
        _client = client;
        _backend = backend;
        _link = link;
        _checkAgain = PassFins;
    }

    /// <summary>Registers both sockets for RDHUP (and ERR, HUP) on the loop; false when it cannot.</summary>
    public bool Start() => _loop.Register(this, _client, _backend, EventLoop.RdHup | EventLoop.EdgeTriggered);

    internal override void OnEvent(int side, uint events)
    {
        if ((events & EventLoop.Err) != 0)
        {
            _owner.FastPathFailed(); // a reset (or another error) on either side aborts both, as on the splice path
            return;
        }
        if ((events & (EventLoop.RdHup | EventLoop.Hup)) == 0) return;
        lock (_gate)
        {
            if (_closed || _finSeen[side]) return;
            _finSeen[side] = true;
        }
        PassFins();
    }

    /// <summary>Passes on each FIN whose bytes have all gone out; schedules another look for those still on their way.</summary>
    private void PassFins()
    {
        bool waiting = false;
        for (int side = 0; side < 2; side++)
        {
            SafeHandle? to = null;
            lock (_gate)
            {
                if (_closed) return;
                if (!_finSeen[side] || _finPassed[side]) continue;
                if (!Drained(side))
                {
                    waiting = true;
                    continue;
                }
                _finPassed[side] = true;
                to = side == 0 ? _backend : _client;
            }
            try
            {
                _owner.FastPathEnded(to);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
            {
                _owner.FastPathFailed();
                return;
            }
        }
        if (!waiting) return;
        int pause;
        lock (_gate)
        {
            if (_closed) return;
            pause = _pauseMs;
            _pauseMs = Math.Min(_pauseMs * 2, MaxPauseMs);
        }
        _loop.After(pause, _checkAgain); // on the loop's thread, as this is (OnEvent or an earlier check)
    }

    private bool Drained(int side)
    {
        try
        {
            return _link.Delivered(inbound: side == 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            return true; // the socket is gone: nothing more will be taken, the connection is ending anyway
        }
    }

    /// <summary>Folds what the fast path relayed since the last call into the connection's counters; true when anything moved.</summary>
    public bool Fold()
    {
        FastRelayCounts now, before;
        lock (_gate)
        {
            if (_closed) return false;
            now = _link.Read();
            before = _counted;
            _counted = now;
        }
        long bytesIn = now.BytesIn - before.BytesIn, bytesOut = now.BytesOut - before.BytesOut;
        if (bytesIn > 0) _owner.AddIn(0, bytesIn);
        if (bytesOut > 0) _owner.AddOut(0, bytesOut);
        return bytesIn > 0 || bytesOut > 0;
    }

    /// <summary>The connection ended: the last counts are folded, both sockets leave the fast path (the connection closes
    /// them), and the loop lets go of the relay.</summary>
    public void Close()
    {
        Fold();
        lock (_gate)
        {
            if (_closed) return;
            _closed = true; // a check still waiting on the loop finds it closed and does nothing
        }
        _link.Dispose();
        _loop.Release(this);
    }
}
