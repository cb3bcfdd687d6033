using System.Buffers;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Engine.Loop;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// The two ways a <see cref="TcpConnection"/> is relayed. Without an application helper, bytes move socket -> pipe ->
/// socket with splice(2) on an epoll thread (<see cref="SpliceRelay"/>) and never enter user space; an idle connection
/// holds neither a buffer nor a pipe. With a helper (FTP), or where splice is not available, each direction is pumped
/// through a pooled buffer that the helper inspects and rewrites.
/// </summary>
internal sealed partial class TcpConnection
{
    private const int BufferSize = 64 * 1024;

    private SpliceRelay? _relay;
    private FastRelay? _fast;

    /// <summary>The fast path this connection may move to once established (a plain TCP relay: no helper, no preface);
    /// null keeps it on the splice path.</summary>
    public ITcpFastPath? FastPath { get; init; }

    /// <summary>Whether the connection is relayed by the fast path now.</summary>
    internal bool OnFastPath => Volatile.Read(ref _fast) is not null;

    /// <summary>
    /// The one place the relay is chosen, from the event loop when the splice relay offers the connection (its real
    /// server's side connected, the fast path's <see cref="FastPathJoin"/> reached, nothing waiting in a pipe): a plain
    /// connection goes to the fast path when it takes it (<see cref="FastRelay"/>), and true is returned; otherwise it
    /// stays with the splice relay. <paramref name="detach"/> takes the sockets out of the splice relay's epoll
    /// registration, when they are in it.
    /// </summary>
    internal bool TryFastPath(EventLoop loop, Action? detach)
    {
        if (FastPath is not { } path || Filter is not null || !Prelude.IsEmpty) return false;
        if (_client is not { } clientEnd || _backend is not { } backendEnd) return false;
        SafeHandle client = clientEnd.Handle, backend = backendEnd.Handle;
        IFastRelayLink? link;
        try
        {
            link = path.Link(client, backend);
        }
        catch (IOException)
        {
            FastPathFailed(); // half linked and taken off again: bytes may be lost, so the connection is reset
            return true;
        }
        if (link is null) return false;
        var relay = new FastRelay(this, loop, client, backend, link);
        Volatile.Write(ref _fast, relay);
        bool started;
        try
        {
            detach?.Invoke(); // out of the splice relay's registration first: a socket is in an epoll set once
            started = relay.Start();
        }
        catch (ObjectDisposedException)
        {
            started = false;
        }
        if (!started)
        {
            FastPathFailed(); // sockets closed under us, or epoll refused: the connection cannot go on either way
            return true;
        }
        return true;
    }

    /// <summary>
    /// Connects to the real server without blocking and hands both sockets to <paramref name="loop"/>, which completes
    /// the connect (<see cref="SpliceConnected"/>) and relays with splice(2). Sockets that only the loop waits on are
    /// never registered with .NET's own epoll thread, so each event wakes one thread.
    /// </summary>
    private void StartSpliced(EventLoop loop, TcpEnd client, TcpEnd backend)
    {
        var relay = new SpliceRelay(this, loop, client.Handle, backend.Handle, Prelude);
        Volatile.Write(ref _relay, relay);
        bool started;
        try
        {
            client.MakeNonBlocking(); // splice(2), recv(2) and send(2) on the loop must never block it
            backend.MakeNonBlocking();
            started = relay.Start(connecting: !RawSocket.Connect(backend.Handle, _connectTo));
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            started = false;
        }
        if (!started) Finish(TcpState.Close, abort: true);
    }

    /// <summary>From the event loop: the real server accepted (true), or the entry expired while connecting.</summary>
    internal bool SpliceConnected() => Establish();

    /// <summary>From the event loop: <paramref name="bytes"/> moved in one direction.</summary>
    internal void SpliceMoved(bool inbound, int bytes)
    {
        Touch();
        if (inbound) AddIn(0, bytes); else AddOut(0, bytes);
    }

    /// <summary>From the event loop: one side sent its FIN.</summary>
    internal void SpliceEnded(SafeHandle to) => EndOfStream(to);

    /// <summary>From the event loop: a reset or an error on either side.</summary>
    internal void SpliceFailed() => Finish(TcpState.Close, abort: true);

    /// <summary>From the fast path: one side's FIN, once every byte in front of it went out of the other side.</summary>
    internal void FastPathEnded(SafeHandle to) => EndOfStream(to);

    /// <summary>From the fast path: a reset or an error on either side.</summary>
    internal void FastPathFailed() => Finish(TcpState.Close, abort: true);

    private async Task CopyAsync(Socket from, Socket to, bool inbound)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (Filter is { } gate) await gate.MayPassOn(inbound).ConfigureAwait(false);
                if (n == 0)
                {
                    var held = Filter is { } f ? f.Flush(inbound) : default;
                    if (!held.IsEmpty) await to.SendAsync(held, SocketFlags.None).ConfigureAwait(false);
                    EndOfStream(to.SafeHandle);
                    return;
                }
                Touch();
                if (inbound) AddIn(0, n); else AddOut(0, n);
                var payload = Filter is null ? buffer.AsMemory(0, n) : Filter.Process(buffer.AsMemory(0, n), inbound);
                if (!payload.IsEmpty) await to.SendAsync(payload, SocketFlags.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            Finish(TcpState.Close, abort: true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A FIN from one side: passed on as a shutdown of the other side's sending half (half-close).</summary>
    private void EndOfStream(SafeHandle to)
    {
        RawSocket.ShutdownSend(to);
        DirectionEnded();
    }
}
