using System.Net;
using System.Net.Sockets;

namespace LvsPs.TestBackends;

/// <summary>
/// The shared base of the TCP real servers the tests start on loopback (HTTP, HTTPS, echo, named echo): a listener on
/// an endpoint (port 0: a free one), an accept loop that hands every connection to <see cref="ServeAsync"/>, a count of
/// the connections accepted, and a stop that ends the loop and closes the listener. A subclass calls
/// <see cref="StartAccepting"/> at the end of its constructor, once what it serves with is ready.
/// </summary>
public abstract class TcpTestServer : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    protected TcpTestServer(IPEndPoint endPoint, int backlog = 512, bool reuseAddress = true)
    {
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (reuseAddress) _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(endPoint);
        _listener.Listen(backlog);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Cancelled when the server is disposed.</summary>
    protected CancellationToken Stopping => _stop.Token;

    /// <summary>Serves one accepted connection; owns <paramref name="s"/>.</summary>
    protected abstract Task ServeAsync(Socket s);

    protected void StartAccepting() => _ = AcceptLoopAsync();

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
                return; // disposed
            }
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(s);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        Stopped();
        GC.SuppressFinalize(this);
    }

    /// <summary>What a subclass releases after the listener is closed.</summary>
    protected virtual void Stopped()
    {
    }
}
