using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Engine.Loop;
using LvsPs.Interop;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// Transparent mode: the socket towards a real server is bound to the client's own address before it connects, so the
/// real server sees the client as behind LVS masquerading. Binding to an address that is not local takes IP_TRANSPARENT
/// (include/uapi/linux/in.h: IP_TRANSPARENT 19 at SOL_IP; in6.h: IPV6_TRANSPARENT 75 at SOL_IPV6), which needs
/// CAP_NET_ADMIN (ip(7)); the real server's replies must be routed back to the director, whose policy routing hands them
/// to the local stack (docs/client-address.md).
/// </summary>
internal static class TransparentSource
{
    private const int SolIp = 0, IpTransparent = 19, SolIpv6 = 41, Ipv6Transparent = 75;

    /// <summary>Binds <paramref name="socket"/> to <paramref name="client"/> (its port too, or any port when that one is
    /// taken); throws <see cref="SystemCallException"/> when the kernel refuses (no CAP_NET_ADMIN).</summary>
    public static void Bind(SafeHandle socket, IPEndPoint client)
    {
        if (client.AddressFamily == AddressFamily.InterNetworkV6) RawSocket.SetOption(socket, SolIpv6, Ipv6Transparent, 1);
        else RawSocket.SetOption(socket, SolIp, IpTransparent, 1);
        try
        {
            RawSocket.Bind(socket, client);
        }
        catch (SystemCallException e) when (e.Errno == Errno.EADDRINUSE)
        {
            RawSocket.Bind(socket, new IPEndPoint(client.Address, 0)); // the client's port is in use towards another real server
        }
    }
}
