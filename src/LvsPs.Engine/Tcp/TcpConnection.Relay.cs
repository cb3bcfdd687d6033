using System.Buffers;
using System.Net.Sockets;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// The two ways one direction of a <see cref="TcpConnection"/> is pumped. Without an application helper, bytes move
/// socket -> pipe -> socket with splice(2) and never enter user space; a connection waits for data with a zero-byte
/// receive, so an idle one holds neither a buffer nor a pipe. With a helper (FTP), bytes go through a pooled buffer
/// that the helper inspects and rewrites.
/// </summary>
internal sealed partial class TcpConnection
{
    private const int BufferSize = 64 * 1024;

    private Task RelayAsync(Socket from, Socket to, bool inbound) =>
        Filter is null && SplicePipe.Available ? SpliceAsync(from, to, inbound) : CopyAsync(from, to, inbound);

    private async Task SpliceAsync(Socket from, Socket to, bool inbound)
    {
        try
        {
            from.Blocking = false; // splice(2) on the socket must never block a pool thread
            to.Blocking = false;
            // true when the last fill was short (the socket is empty: wait for data before trying again); a client
            // usually speaks first, so the client's side is tried at once and the real server's side waits
            bool drained = !inbound;
            while (true)
            {
                if (drained) await from.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None).ConfigureAwait(false); // data or FIN
                var pipe = SplicePipe.Rent();
                if (pipe is null)
                {
                    await CopyAsync(from, to, inbound).ConfigureAwait(false); // no descriptor for a pipe: copy from here on
                    return;
                }
                int n;
                try
                {
                    n = pipe.Fill(from.SafeHandle);
                }
                catch
                {
                    pipe.Dispose();
                    throw;
                }
                if (n <= 0) pipe.Return();
                drained = n < SplicePipe.Capacity;
                if (n < 0) continue;
                if (n == 0)
                {
                    EndOfStream(to);
                    return;
                }
                Touch();
                if (inbound) AddIn(0, n); else AddOut(0, n);
                await DrainAsync(pipe, to, n).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            Finish(TcpState.Close, abort: true);
        }
    }

    /// <summary>Empties the pipe into <paramref name="to"/>; when its send buffer is full, the rest is read out and sent
    /// asynchronously (the back-pressure wait). The pipe goes back to the pool only empty.</summary>
    private static async ValueTask DrainAsync(SplicePipe pipe, Socket to, int count)
    {
        bool empty = false;
        try
        {
            while (count > 0)
            {
                int moved = pipe.Drain(to.SafeHandle, count);
                if (moved > 0)
                {
                    count -= moved;
                    continue;
                }
                if (moved == 0) throw new IOException("splice moved nothing into the socket.");
                byte[] buffer = ArrayPool<byte>.Shared.Rent(count);
                try
                {
                    int read = pipe.Read(buffer.AsSpan(0, count));
                    if (read == 0) throw new IOException("the splice pipe was empty.");
                    count -= read;
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            empty = true;
        }
        finally
        {
            if (empty) pipe.Return(); else pipe.Dispose();
        }
    }

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
