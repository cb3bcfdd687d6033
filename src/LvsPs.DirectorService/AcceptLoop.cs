using System.Net.Sockets;

namespace LvsPs.DirectorService;

/// <summary>The service's listeners (control socket, metrics) accept the same way: until stopped, each client handed on.</summary>
internal static class AcceptLoop
{
    /// <summary>
    /// Accepts on <paramref name="listener"/> until <paramref name="stopped"/> says so, the listener is closed, or
    /// <paramref name="cancel"/> is cancelled (which withdraws the pending accept without touching the socket: after a
    /// hand-over the new process goes on accepting on it).
    /// </summary>
    public static async Task RunAsync(Socket listener, Func<bool> stopped, Action<Socket> serve, CancellationToken cancel = default)
    {
        while (!stopped() && !cancel.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(cancel).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (stopped() || cancel.IsCancellationRequested) return;
                continue; // a client that went away between connect and accept
            }
            serve(client);
        }
    }
}
