using System.Net;
using System.Net.Sockets;

namespace LvsPs.TestBackends;

/// <summary>
/// A TCP real server that echoes every byte back and keeps each connection open until the client closes it: for tests
/// that hold established connections through the director while it is reconfigured.
/// </summary>
public sealed class TcpEchoBackend : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public TcpEchoBackend(IPEndPoint endPoint)
    {
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(endPoint);
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _ = AcceptLoopAsync();
    }

    public static TcpEchoBackend Start(string address = "127.0.0.1", int port = 0) => new(new IPEndPoint(IPAddress.Parse(address), port));

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket s;
            try
            {
                s = await _listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return;
            }
            Interlocked.Increment(ref _connections);
            _ = EchoAsync(s);
        }
    }

    private async Task EchoAsync(Socket s)
    {
        using (s)
        {
            var buffer = new byte[4096];
            try
            {
                int n;
                while ((n = await s.ReceiveAsync(buffer, SocketFlags.None, _stop.Token).ConfigureAwait(false)) > 0)
                {
                    await s.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
            }
            catch (Exception)
            {
                // the client or the test went away
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
    }
}
