namespace LvsPs.TestBackends;

/// <summary>
/// Real traffic in the background for tests that watch a director while it forwards: HTTP GETs through a virtual
/// service, one connection each, with a pause between them, until disposed or a bounded number of requests is sent.
/// </summary>
public sealed class TrafficLoop : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _task;
    private int _sent;
    private int _failed;
    private int _disposed;

    private TrafficLoop(string address, int port, int maxRequests, int pauseMs)
    {
        _task = Task.Run(async () =>
        {
            for (int i = 0; i < maxRequests && !_stop.IsCancellationRequested; i++)
            {
                try
                {
                    LoopbackClient.HttpGet(address, port, "/", 5000);
                    Interlocked.Increment(ref _sent);
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or InvalidOperationException or IOException)
                {
                    Interlocked.Increment(ref _failed);
                }
                try
                {
                    await Task.Delay(pauseMs, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public static TrafficLoop Start(string address, int port, int maxRequests = 2000, int pauseMs = 20) => new(address, port, maxRequests, pauseMs);

    /// <summary>Requests answered so far.</summary>
    public int Sent => Volatile.Read(ref _sent);

    public int Failed => Volatile.Read(ref _failed);

    /// <summary>Stops sending and waits for the request in flight to finish.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _stop.Cancel();
        _task.Wait(TimeSpan.FromSeconds(15));
    }
}
