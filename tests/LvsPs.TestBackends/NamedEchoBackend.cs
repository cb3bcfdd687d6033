using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LvsPs.TestBackends;

/// <summary>
/// A TCP real server that greets every connection with its name and a newline, then echoes what it gets and keeps the
/// connection open until the client closes it or the backend is disposed. The greeting tells a client which real
/// server the director chose, and reading it proves the handshake passed the director (so a NAT director has seen the
/// connection established) before the next connection is made.
/// </summary>
public sealed class NamedEchoBackend : IDisposable
{
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Socket> _open = new();
    private int _connections;

    public NamedEchoBackend(string name, IPEndPoint endPoint)
    {
        Name = name;
        _listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        _listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Bind(endPoint);
        _listener.Listen(512);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
        _ = AcceptLoopAsync();
    }

    public string Name { get; }

    public IPEndPoint EndPoint { get; }

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
                return; // disposed
            }
            Interlocked.Increment(ref _connections);
            lock (_open) _open.Add(s);
            _ = ServeAsync(s);
        }
    }

    private async Task ServeAsync(Socket s)
    {
        try
        {
            await s.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"), _stop.Token).ConfigureAwait(false);
            var buffer = new byte[4096];
            int n;
            while ((n = await s.ReceiveAsync(buffer, _stop.Token).ConfigureAwait(false)) > 0)
            {
                await s.SendAsync(buffer.AsMemory(0, n), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // the client went away or the backend is disposed: nothing to report, the client sees it
        }
        finally
        {
            lock (_open) _open.Remove(s);
            s.Dispose();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        lock (_open)
        {
            foreach (var s in _open) s.Dispose();
            _open.Clear();
        }
    }
}

/// <summary>A client connection to a <see cref="NamedEchoBackend"/> through a director: which real server greeted it.</summary>
public sealed class NamedConnection : IDisposable
{
    private NamedConnection(Socket socket, string backend)
    {
        Socket = socket;
        Backend = backend;
    }

    public Socket Socket { get; }

    /// <summary>The greeting's name: the real server the director chose.</summary>
    public string Backend { get; }

    /// <summary>
    /// Connects (from <paramref name="from"/> when given, port 0 for any), waits for the greeting, and keeps the
    /// connection open. Every step is bounded by <paramref name="timeoutMs"/>; a refused connect throws a
    /// SocketException with ConnectionRefused.
    /// </summary>
    public static NamedConnection Open(IPEndPoint to, IPEndPoint? from = null, int timeoutMs = 10_000)
    {
        var s = new Socket(to.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = timeoutMs, SendTimeout = timeoutMs, NoDelay = true };
        try
        {
            if (from is not null)
            {
                s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                s.Bind(from);
            }
            LoopbackClient.Connect(s, to, timeoutMs);
            return new NamedConnection(s, LoopbackClient.ReadLine(s));
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    /// <summary>Sends <paramref name="text"/> and reads the echo back: the connection still carries data both ways.</summary>
    public string Echo(string text)
    {
        Socket.Send(Encoding.ASCII.GetBytes(text + "\n"));
        return LoopbackClient.ReadLine(Socket);
    }

    public void Dispose() => Socket.Dispose();
}
