using System.Buffers;
using System.Net.Sockets;

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

    /// <summary>Relays both directions: with splice(2) on a <see cref="SpliceLoop"/> when no helper inspects the bytes
    /// (the task completes at once; the connection ends through its callbacks), otherwise through buffers.</summary>
    private Task RelayAsync(Socket client, Socket backend)
    {
        if (Filter is not null || SpliceLoop.Next() is not { } loop)
        {
            return Task.WhenAll(CopyAsync(client, backend, inbound: true), CopyAsync(backend, client, inbound: false));
        }
        var relay = new SpliceRelay(this, loop, client, backend);
        Volatile.Write(ref _relay, relay);
        bool started;
        try
        {
            started = relay.Start();
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            started = false;
        }
        if (!started) Finish(TcpState.Close, abort: true);
        return Task.CompletedTask;
    }

    /// <summary>From the splice loop: <paramref name="bytes"/> moved in one direction.</summary>
    internal void SpliceMoved(bool inbound, int bytes)
    {
        Touch();
        if (inbound) AddIn(0, bytes); else AddOut(0, bytes);
    }

    /// <summary>From the splice loop: one side sent its FIN.</summary>
    internal void SpliceEnded(Socket to) => EndOfStream(to);

    /// <summary>From the splice loop: a reset or an error on either side.</summary>
    internal void SpliceFailed() => Finish(TcpState.Close, abort: true);

    private async Task CopyAsync(Socket from, Socket to, bool inbound)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int n = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (n == 0)
                {
                    var held = Filter is { } f ? f.Flush(inbound) : default;
                    if (!held.IsEmpty) await to.SendAsync(held, SocketFlags.None).ConfigureAwait(false);
                    EndOfStream(to);
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
    private void EndOfStream(Socket to)
    {
        to.Shutdown(SocketShutdown.Send);
        DirectionEnded();
    }
}
