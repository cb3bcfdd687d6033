using System.Net;
using System.Net.Sockets;
using LvsPs.Model;

namespace LvsPs.DirectorService.Http;

/// <summary>
/// A deliberately small HTTP/1.1 server for the service's loopback endpoints (metrics, status page): one request per
/// connection, the request bounded in size (<see cref="HttpRequest"/>) and time (10 s), at most 64 connections served at
/// once. Handlers are asked in the order they were added; the first that answers wins, otherwise 404.
/// </summary>
internal sealed class HttpEndpoint : IDisposable
{
    public const int MaxConcurrentConnections = 64;
    private static readonly TimeSpan RequestTime = TimeSpan.FromSeconds(10);

    private readonly Socket _listener;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _slots = new(MaxConcurrentConnections);
    private volatile Func<HttpRequest, HttpResponse?>[] _handlers = Array.Empty<Func<HttpRequest, HttpResponse?>>();
    private volatile bool _stopped;
    private readonly CancellationTokenSource _handedOver = new();

    public HttpEndpoint(IPEndPoint endPoint, Action<string> log)
    {
        _log = log;
        // after a restart the listener the old process handed over is adopted (Restart/ListenerHandOver)
        _listener = Restart.ListenerHandOver.TakeInherited(Restart.ListenerHandOver.HttpKey(endPoint)) ?? Bind(endPoint);
        EndPoint = (IPEndPoint)_listener.LocalEndPoint!;
    }

    private static Socket Bind(IPEndPoint endPoint)
    {
        var listener = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endPoint);
            listener.Listen(64);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return listener;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>Adds a handler: it returns a response for the requests it serves and null for the others.</summary>
    public void Map(Func<HttpRequest, HttpResponse?> handler)
    {
        lock (_listener) _handlers = [.. _handlers, handler];
    }

    public void Start()
    {
        Restart.ListenerHandOver.Offer(Restart.ListenerHandOver.HttpKey(EndPoint), _listener, _handedOver.Cancel);
        _ = AcceptLoop.RunAsync(_listener, () => _stopped, client =>
        {
            if (_slots.Wait(0)) _ = ServeAsync(client);
            else client.Dispose(); // too many at once: refuse rather than queue without bound
        }, _handedOver.Token);
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                using var timeout = new CancellationTokenSource(RequestTime);
                var (request, status, error) = await ReadAsync(client, timeout.Token).ConfigureAwait(false);
                var response = request is null ? HttpResponse.Text(status, "refused: " + error) : Answer(request);
                await client.SendAsync(response.Encode(request?.Method != "HEAD"), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (request is null) await LingerAsync(client, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // the client went away or was too slow: drop this connection only
            }
            finally
            {
                _slots.Release();
            }
        }
    }

    private HttpResponse Answer(HttpRequest request)
    {
        try
        {
            foreach (var handler in _handlers)
            {
                if (handler(request) is { } response) return response;
            }
            return HttpResponse.Text(404, "not found");
        }
        catch (LvsException e)
        {
            _log($"http {request.Method} {request.Path}: {e.Message}");
            return HttpResponse.Text(503, e.Message);
        }
    }

    /// <summary>
    /// After refusing a request the client may still be sending: closing with unread data would reset the connection
    /// and could destroy the answer before the client reads it (RFC 9112 9.6), so the sending side is closed first and
    /// what still arrives is read and dropped, a bounded amount for a bounded time.
    /// </summary>
    private static async Task LingerAsync(Socket client, CancellationToken cancellation)
    {
        client.Shutdown(SocketShutdown.Send);
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        linger.CancelAfter(TimeSpan.FromSeconds(2));
        var sink = new byte[4096];
        for (int total = 0; total < 1 << 20;)
        {
            int n = await client.ReceiveAsync(sink, SocketFlags.None, linger.Token).ConfigureAwait(false);
            if (n == 0) return;
            total += n;
        }
    }

    /// <summary>Reads one request: the head (bounded), then Content-Length bytes of body (bounded).</summary>
    private static async Task<(HttpRequest? Request, int Status, string? Error)> ReadAsync(Socket s, CancellationToken cancellation)
    {
        var buffer = new byte[HttpRequest.MaxHeadBytes + 4 + HttpRequest.MaxBodyBytes];
        int total = 0, headLength;
        while ((headLength = HttpRequest.HeadLength(buffer.AsSpan(0, total))) < 0)
        {
            if (total >= HttpRequest.MaxHeadBytes + 4) return (null, 413, "the request head is longer than 8192 bytes");
            int n = await s.ReceiveAsync(buffer.AsMemory(total, HttpRequest.MaxHeadBytes + 4 - total), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (n == 0) return (null, 400, "the connection closed before the end of the head");
            total += n;
        }
        var request = HttpRequest.ParseHead(buffer.AsSpan(0, headLength), out var error);
        if (request is null) return (null, 400, error);
        if (request.ContentLength > HttpRequest.MaxBodyBytes) return (null, 413, $"the body is longer than {HttpRequest.MaxBodyBytes} bytes");
        int bodyStart = headLength + 4, need = bodyStart + request.ContentLength;
        while (total < need)
        {
            int n = await s.ReceiveAsync(buffer.AsMemory(total, need - total), SocketFlags.None, cancellation).ConfigureAwait(false);
            if (n == 0) return (null, 400, "the connection closed before the end of the body");
            total += n;
        }
        request.Body = buffer.AsSpan(bodyStart, request.ContentLength).ToArray();
        request.RemoteEndPoint = s.RemoteEndPoint;
        return (request, 200, null);
    }

    public void Dispose()
    {
        _stopped = true;
        // a listener handed over stays open until the process ends (a close could shut it down for its new owner)
        if (_handedOver.IsCancellationRequested) _listener.SafeHandle.SetHandleAsInvalid();
        else _listener.Dispose();
    }
}
