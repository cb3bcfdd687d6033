using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.DirectorService;

/// <summary>
/// Listens on the control socket, open only to the service's own user: the socket file is owner-only (0600), its folder
/// is owner-only when the service creates it (<see cref="ControlSocketPath"/>), and each connection's peer uid is checked
/// (root is let in), so another user gets a clear permission error and no access. Connections are served asynchronously (no thread waits on a read) within
/// <see cref="ControlLimits"/>; every request line gets an answer, and nothing a client sends ends the service.
/// </summary>
internal sealed class ControlServer : IDisposable
{
    private readonly string _path;
    private readonly ControlDispatcher _dispatcher;
    private readonly Action<string> _log;
    private readonly ControlLimits _limits;
    private readonly ControlConnections _connections;
    private readonly Socket _listener;
    private readonly uint _owner = PeerCredentials.EffectiveUserId;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _accepting = new();
    private volatile bool _handedOver;
    private volatile bool _draining;

    public ControlServer(string path, ControlDispatcher dispatcher, Action<string> log, ControlLimits? limits = null)
    {
        _path = Path.GetFullPath(path);
        _dispatcher = dispatcher;
        _log = log;
        _limits = limits ?? ControlLimits.Default;
        _connections = new ControlConnections(_limits.MaxConnections);
        if (Restart.ListenerHandOver.TakeInherited(Restart.ListenerHandOver.ControlKey) is { } inherited)
        {
            _listener = inherited; // a restart: the old process's socket, same path, never unbound in between
            return;
        }
        ControlSocketPath.Prepare(_path, _owner);
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(_path));
        File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        // bound now (a bad path stops the start before anything is restored), listening only from Start: a client
        // that can connect finds the configuration restored
    }

    /// <summary>Serves a new process's HandOver request (a hitless restart); null: refused as an unknown operation.</summary>
    public Restart.ServiceRestart? HandOver { get; set; }

    /// <summary>The control connections open now (never more than the limit).</summary>
    public int ConnectionCount => _connections.Count;

    public void Start()
    {
        _listener.Listen(64); // an inherited socket listens already; listen(2) again only sets its backlog
        Restart.ListenerHandOver.Offer(Restart.ListenerHandOver.ControlKey, _listener, StopAccepting);
        // each connection on the pool: a request is answered synchronously (a restart waits for the new process), and the
        // accept loop must not wait with it
        _ = AcceptLoop.RunAsync(_listener, () => _stopping.IsCancellationRequested, client => _ = Task.Run(() => ServeAsync(client)), _accepting.Token);
    }

    /// <summary>
    /// After a hand-over: every connection closes once its request at hand is answered (the Restart answer goes out),
    /// idle ones at once; their clients reconnect, to the new process.
    /// </summary>
    public void Drain()
    {
        _draining = true;
        _connections.EvictIdle();
    }

    /// <summary>After a hand-over: the new process accepts on the socket; this one stops (and will not remove the socket file).</summary>
    private void StopAccepting()
    {
        _handedOver = true;
        _accepting.Cancel();
    }

    private async Task ServeAsync(Socket client)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        try
        {
            var peer = PeerCredentials.PeerUserId(client);
            if (peer is null || (peer != _owner && peer != 0))
            {
                _log($"refused a control connection from uid {peer?.ToString() ?? "unknown"}");
                await WriteAsync(stream, Refusal(LvsErrorKind.PermissionDenied, "DirectorServiceAccessDenied",
                    $"Permission denied: this director service accepts only its own user (uid {_owner}) and root.")).ConfigureAwait(false);
                return;
            }
            using var entry = _connections.TryAdd();
            if (entry is null)
            {
                await WriteAsync(stream, Refusal(LvsErrorKind.ResourceBusy, "DirectorServiceBusy",
                    $"The director service is busy: {_limits.MaxConnections} control connections are each in the middle of a request. Try again.")).ConfigureAwait(false);
                return;
            }
            var reader = new ControlLineReader(stream, _limits.MaxRequestBytes);
            while (!_stopping.IsCancellationRequested && !_draining)
            {
                ReadOnlyMemory<byte>? line;
                entry.SetIdle(true);
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, entry.Evicted.Token))
                {
                    idle.CancelAfter(_limits.IdleTimeout);
                    try
                    {
                        line = await reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (ControlLineTooLongException e)
                    {
                        await WriteAsync(stream, Refusal(LvsErrorKind.InvalidArgument, "ControlRequestTooLarge",
                            $"{e.Message} The limit is {_limits.MaxRequestBytes} bytes; the connection is closed.")).ConfigureAwait(false);
                        await DrainAsync(client).ConfigureAwait(false);
                        return;
                    }
                    catch (OperationCanceledException)
                    {
                        return; // idle too long, making room, or the service stops: the client reconnects when it needs to
                    }
                }
                if (line is null) return;
                entry.SetIdle(false);
                ControlRequest request;
                try
                {
                    request = ControlProtocol.ParseRequest(line.Value.Span);
                }
                catch (LvsException e)
                {
                    await WriteAsync(stream, Refusal(e.Kind, e.ErrorId, e.Message)).ConfigureAwait(false);
                    continue;
                }
                if (request.Op == ControlOps.HandOver && HandOver is { } handOver)
                {
                    await handOver.ServeAsync(client, stream, reader, request, _stopping.Token).ConfigureAwait(false);
                    return;
                }
                await WriteAsync(stream, _dispatcher.Dispatch(request)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // the client went away or did not take its answer: drop this connection only
        }
        catch (Exception e)
        {
            _log($"control connection dropped after an unexpected {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>
    /// Lets the client read the refusal: a Unix socket closed with unread bytes resets its peer, which would lose the
    /// answer. The rest of the line is read and dropped, bounded in bytes and time, then the connection is closed.
    /// </summary>
    private async Task DrainAsync(Socket client)
    {
        client.Shutdown(SocketShutdown.Send);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        var sink = new byte[64 * 1024];
        for (long drained = 0; drained < 16L * _limits.MaxRequestBytes;)
        {
            int n = await client.ReceiveAsync(sink, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            if (n == 0) return;
            drained += n;
        }
    }

    private static ControlResponse Refusal(LvsErrorKind kind, string errorId, string message) => new(Error: new ControlError(kind, errorId, message));

    private async Task WriteAsync(NetworkStream stream, ControlResponse response)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_limits.WriteTimeout);
        await stream.WriteAsync(ControlChannel.Frame(response), timeout.Token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        if (_handedOver)
        {
            // the new process serves on this socket at this path: neither closed (a close may shut it down) nor removed
            _listener.SafeHandle.SetHandleAsInvalid();
            return;
        }
        // the file first, then the socket: a client that sees the socket close may start a new service at this path at
        // once, and this one must never delete the new service's socket file
        try
        {
            File.Delete(_path);
        }
        catch (IOException)
        {
        }
        _listener.Dispose();
    }
}
