using System.Net;
using System.Net.Sockets;

namespace LvsPs.Model;

/// <summary>A real server's identity within a virtual service: its address (RIP) and port.</summary>
public readonly record struct RealServerId(IPAddress Address, ushort Port)
{
    public AddressFamily AddressFamily => Address.AddressFamily;

    public override string ToString() => EndpointText.Format(Address, Port);

    public static RealServerId Create(IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        Validation.RequireUnicastAddress(address, "real server address");
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        return new RealServerId(address, port);
    }
}
