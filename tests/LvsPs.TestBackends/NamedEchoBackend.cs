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
public sealed class NamedEchoBackend : TcpTestServer
{
    private readonly List<Socket> _open = new();

    public NamedEchoBackend(string name, IPEndPoint endPoint) : base(endPoint)
    {
        Name = name;
        StartAccepting();
    }

    public string Name { get; }


    protected override async Task ServeAsync(Socket s)
    {
        lock (_open) _open.Add(s);
        try
        {
            await s.SendAsync(Encoding.ASCII.GetBytes(Name + "\n"), Stopping).ConfigureAwait(false);
            var buffer = new byte[4096];
            int n;
            while ((n = await s.ReceiveAsync(buffer, Stopping).ConfigureAwait(false)) > 0)
            {
                await s.SendAsync(buffer.AsMemory(0, n), Stopping).ConfigureAwait(false);
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

    protected override void Stopped()
    {
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
