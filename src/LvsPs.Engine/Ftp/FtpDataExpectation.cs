using System.Net;
using System.Net.Sockets;

namespace LvsPs.Engine.Ftp;

/// <summary>
/// A data connection the director expects after rewriting an announcement: a one-shot listener on an ephemeral port
/// that accepts one connection from <see cref="AllowedPeer"/> and hands it on. Connections from any other address are
/// reset (refused); when the expected connection has not come within the timeout, the listener closes (expires), as
/// IPVS drops the entry it created for the data connection. A port the server never announced has no listener at all.
/// </summary>
internal sealed class FtpDataExpectation : IDisposable
{
    /// <summary>Connections from wrong addresses refused before the expectation gives up (bounds the accept loop).</summary>
    public const int MaxRefused = 16;

    private readonly Socket _listener;
    private readonly Action<Socket> _onAccepted;
    private readonly Timer _expiry;
    private int _finished;
    private int _refused;
    private bool _expired;

    private FtpDataExpectation(Socket listener, IPAddress allowedPeer, Action<Socket> onAccepted, TimeSpan timeout)
    {
        _listener = listener;
        AllowedPeer = allowedPeer;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        _onAccepted = onAccepted;
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

    /// <summary>Listens on <paramref name="localAddress"/>, port 0; null when no socket could be bound.</summary>
    public static FtpDataExpectation? Listen(IPAddress localAddress, IPAddress allowedPeer, TimeSpan timeout, Action<Socket> onAccepted)
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
                peer = await _listener.AcceptAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return; // expired or cancelled
            }
            if (peer.RemoteEndPoint is IPEndPoint remote && Same(remote.Address, AllowedPeer) && Finish())
            {
                _onAccepted(peer);
                return;
            }
            Interlocked.Increment(ref _refused);
            Reset(peer);
        }
        Finish();
    }

    private static bool Same(IPAddress a, IPAddress b) =>
        (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Equals(b.IsIPv4MappedToIPv6 ? b.MapToIPv4() : b);

    private void Expire() => Finish(expired: true);

    /// <summary>Closes the listener once; true for the caller that closed it.</summary>
    private bool Finish(bool expired = false)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return false;
        Expired = expired;
        _expiry.Dispose();
        _listener.Dispose();
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
