using System.Net;
using System.Net.Sockets;
using LvsPs.Model;

namespace LvsPs.Engine;

/// <summary>Turns a failure to bind a virtual address into an error a user can act on.</summary>
internal static class SocketErrors
{
    public static LvsException BindFailed(VirtualServiceId id, IPEndPoint endPoint, SocketException e) => e.SocketErrorCode switch
    {
        SocketError.AddressAlreadyInUse => new LvsException(LvsErrorKind.ResourceBusy, "VirtualAddressInUse",
            $"Cannot create virtual service '{id}': {EndpointText.Format(endPoint.Address, (ushort)endPoint.Port)} is already in use by another socket.", id, e),
        SocketError.AddressNotAvailable => new LvsException(LvsErrorKind.InvalidArgument, "VirtualAddressNotLocal",
            $"Cannot create virtual service '{id}': {endPoint.Address} is not an address of this host. The managed director listens on the VIP, so the VIP must be configured on an interface (for example 'ip addr add {endPoint.Address}/32 dev lo'), or use a loopback address. A director service that is a failover backup listens on its pair's virtual addresses before it holds them: configure the pair first (Set-LvsFailover).", id, e),
        SocketError.AccessDenied => new LvsException(LvsErrorKind.PermissionDenied, "VirtualPortPrivileged",
            $"Cannot create virtual service '{id}': binding port {endPoint.Port} needs privileges (root or CAP_NET_BIND_SERVICE); use a port above 1023 or run with those privileges.", id, e),
        _ => new LvsException(LvsErrorKind.Unavailable, "VirtualAddressBindFailed",
            $"Cannot create virtual service '{id}': binding {EndpointText.Format(endPoint.Address, (ushort)endPoint.Port)} failed: {e.Message}", id, e),
    };
}
