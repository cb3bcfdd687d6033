using System.Net;
using System.Net.Sockets;

namespace LvsPs.Engine.Ftp;

/// <summary>
/// A data connection the director expects after rewriting an announcement: a one-shot listener on an ephemeral port
/// that accepts one connection from <see cref="AllowedPeer"/> and hands it on. Connections from any other address are
/// reset (refused); when the expected connection has not come within the timeout, the listener closes (expires), as
/// IPVS drops the entry it created for the data connection. A port the server never announced has no listener at all.
/// <see cref="HandedOn"/> tells when the connection that came has been passed on (the relay's connect is over).
/// </summary>
internal sealed class FtpDataExpectation : IDisposable
{
    /// <summary>Connections from wrong addresses refused before the expectation gives up (bounds the accept loop).</summary>
    public const int MaxRefused = 16;

    private readonly Socket _listener;
    private readonly Func<Socket, Task> _onAccepted;
    private readonly Timer _expiry;
    private readonly TaskCompletionSource<Task> _handedOn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _accepted;
    private Task<Socket>? _accepting;
    private TaskCompletionSource _refusal = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finished;
    private int _refused;
    private bool _expired;

    private FtpDataExpectation(Socket listener, IPAddress allowedPeer, Func<Socket, Task> onAccepted, TimeSpan timeout)
    {
        _listener = listener;
        AllowedPeer = allowedPeer;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _onAccepted = onAccepted;
        HandedOn = _handedOn.Task.Unwrap();
        _expiry = new Timer(_ => Expire(), null, timeout, Timeout.InfiniteTimeSpan);
    }

    public IPEndPoint LocalEndPoint { get; }

    public IPAddress AllowedPeer { get; }

    /// <summary>Connections from other addresses that were reset.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>The listener is gone: the connection came, the expectation expired, or it was cancelled.</summary>
    public bool IsFinished => Volatile.Read(ref _finished) != 0;

    /// <summary>The timeout passed before the expected connection came.</summary>
    public bool Expired
    {
        get => Volatile.Read(ref _expired);
        private set => Volatile.Write(ref _expired, value);
    }

    /// <summary>
    /// Whether the expected peer has connected: accepted, or waiting in the listener's queue (its connect has completed
    /// as far as the peer can tell), or taken from the queue and being looked at. A wrong peer counts too, until it is
    /// refused. The queue is looked at between two looks at the accept, so a connection the accept takes meanwhile is
    /// seen; what is left is the instant inside the runtime between accept(2) returning and its task completing.
    /// </summary>
    public bool PeerArrived
    {
        get
        {
            if (Taken()) return true;
            if (IsFinished) return false;
            try
            {
                if (_listener.Poll(0, SelectMode.SelectRead)) return true; // a listening socket is readable when a connection waits
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // finished meanwhile
            }
            return Taken();
        }
    }

    private bool Taken() => Volatile.Read(ref _accepted) != 0 || Volatile.Read(ref _accepting) is { IsCompletedSuccessfully: true };

    /// <summary>
    /// Completes when the accepted connection has been passed on (the task <c>onAccepted</c> returned has completed),
    /// or when the expectation finished without one (expired, cancelled, too many refused).
    /// </summary>
    public Task HandedOn { get; }

    /// <summary>
    /// Completes when the connection that has arrived (<see cref="PeerArrived"/>) has been dealt with: handed on, or
    /// refused as coming from a wrong address, or the expectation ended.
    /// </summary>
    public Task ArrivalHandled() => Task.WhenAny(HandedOn, Volatile.Read(ref _refusal).Task);

    /// <summary>
    /// Listens on <paramref name="localAddress"/>, port 0; null when no socket could be bound. <paramref name="onAccepted"/>
    /// takes the expected connection and returns a task that completes once it is passed on.
    /// </summary>
    public static FtpDataExpectation? Listen(IPAddress localAddress, IPAddress allowedPeer, TimeSpan timeout, Func<Socket, Task> onAccepted)
    {
        var listener = new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (localAddress.AddressFamily == AddressFamily.InterNetworkV6) listener.DualMode = false;
            listener.Bind(new IPEndPoint(localAddress, 0));
            listener.Listen(4);
        }
        catch (SocketException)
        {
            listener.Dispose();
            return null;
        }
        var expectation = new FtpDataExpectation(listener, allowedPeer, onAccepted, timeout);
        _ = expectation.AcceptLoopAsync();
        return expectation;
    }

    private async Task AcceptLoopAsync()
    {
        while (Refused < MaxRefused)
        {
            Socket peer;
            try
            {
                var accepting = _listener.AcceptAsync();
                Volatile.Write(ref _accepting, accepting);
                peer = await accepting.ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // expired or cancelled
            }
            if (peer.RemoteEndPoint is IPEndPoint remote && Same(remote.Address, AllowedPeer) && Finish(accepted: true))
            {
                var handedOn = Task.CompletedTask;
                try
                {
                    handedOn = _onAccepted(peer);
                }
                finally
                {
                    _handedOn.TrySetResult(handedOn);
                }
                return;
            }
            Interlocked.Increment(ref _refused);
            Volatile.Write(ref _accepting, null); // looked at: no longer an arrival, before the refusal is told
            Reset(peer);
            Interlocked.Exchange(ref _refusal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
        Finish();
    }

    private static bool Same(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);

    private void Expire() => Finish(expired: true);

    /// <summary>Closes the listener once; true for the caller that closed it.</summary>
    private bool Finish(bool expired = false, bool accepted = false)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return false;
        if (accepted) Volatile.Write(ref _accepted, 1);
        Expired = expired;
        _expiry.Dispose();
        _listener.Dispose();
        if (!accepted) _handedOn.TrySetResult(Task.CompletedTask);
        return true;
    }

    private static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        s.Dispose();
    }

    public void Dispose() => Finish();
}
