using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Engine.Loop;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// One side of a relayed <see cref="TcpConnection"/> (the client's or the real server's socket). On the event-loop path
/// it is a <see cref="SocketFd"/> and every call on it is a plain system call; a .NET <see cref="Socket"/> holds it only
/// on the asynchronous path (<see cref="AsSocket"/>: an application helper, a preface that reads the client, or a
/// director without loops). Either way <see cref="Handle"/> is what system calls use.
/// </summary>
internal sealed class TcpEnd
{
    private SocketFd? _fd;
    private Socket? _socket;

    public TcpEnd(SocketFd fd) => _fd = fd;

    public TcpEnd(Socket socket) => _socket = socket;

    /// <summary>A new non-blocking socket towards <paramref name="family"/> on the loop path.</summary>
    public static TcpEnd Create(AddressFamily family) => new(SocketFd.Create(family));

    /// <summary>The descriptor, for system calls (epoll, splice, recv, send, getsockopt).</summary>
    public SafeHandle Handle => (SafeHandle?)_fd ?? _socket!.SafeHandle;

    /// <summary>The end as a .NET socket for the asynchronous path; a loop-path descriptor is handed to one (once).</summary>
    public Socket AsSocket()
    {
        if (_socket is null)
        {
            _socket = _fd!.ToSocket();
            _fd = null;
        }
        return _socket;
    }

    /// <summary>Makes a .NET socket's descriptor non-blocking for the loop (a <see cref="SocketFd"/> was made so).</summary>
    public void MakeNonBlocking()
    {
        if (_socket is { } socket) socket.Blocking = false;
    }

    /// <summary>The director's own address on this side (getsockname), or null.</summary>
    public IPAddress? LocalAddress => RawSocket.LocalAddress(Handle);

    /// <summary>Closes the socket; <paramref name="abort"/> resets the connection (SO_LINGER 0) instead of a FIN.</summary>
    public void Close(bool abort)
    {
        try
        {
            if (_socket is { } socket)
            {
                if (abort) socket.LingerState = new LingerOption(true, 0); // .NET's own close then skips its graceful steps
                socket.Dispose();
                return;
            }
            if (abort) RawSocket.SetAbortiveClose(_fd!);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
        }
        _fd?.Dispose();
    }
}
