using System.Net.Sockets;

namespace LvsPs.DirectorService;

/// <summary>The service's listeners (control socket, metrics) accept the same way: until stopped, each client handed on.</summary>
internal static class AcceptLoop
{
    /// <summary>Accepts on <paramref name="listener"/> until <paramref name="stopped"/> says so or the listener is closed.</summary>
    public static async Task RunAsync(Socket listener, Func<bool> stopped, Action<Socket> serve)
    {
        while (!stopped())
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (stopped()) return;
                continue; // a client that went away between connect and accept
            }
            serve(client);
        }
    }
}
