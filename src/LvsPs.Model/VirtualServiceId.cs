using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LvsPs.Model;

/// <summary>
/// The identity of a virtual service: protocol + virtual address + port, or a firewall mark, in one address family.
/// Its text form is what LvsPs prints and parses: <c>tcp/192.168.0.1:80</c>, <c>udp/[2001:db8::1]:53</c>,
/// <c>sctp/10.0.0.1:9</c>, <c>fwm/7</c> (IPv4) and <c>fwm6/7</c> (IPv6).
/// </summary>
public sealed class VirtualServiceId : IEquatable<VirtualServiceId>
{
    private VirtualServiceId(LvsProtocol protocol, IPAddress? address, ushort port, uint firewallMark, AddressFamily family)
    {
        Protocol = protocol;
        Address = address;
        Port = port;
        FirewallMark = firewallMark;
        AddressFamily = family;
    }

    public LvsProtocol Protocol { get; }

    /// <summary>The virtual IP (VIP); null for a firewall-mark service.</summary>
    public IPAddress? Address { get; }

    public ushort Port { get; }

    /// <summary>The firewall mark (a u32, as the kernel keeps it); 0 for an address service.</summary>
    public uint FirewallMark { get; }

    public AddressFamily AddressFamily { get; }

    public bool IsFirewallMark => FirewallMark != 0;

    /// <summary>A service for <paramref name="protocol"/> on <paramref name="address"/>:<paramref name="port"/>.</summary>
    public static VirtualServiceId ForAddress(LvsProtocol protocol, IPAddress address, ushort port)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (protocol is not (LvsProtocol.Tcp or LvsProtocol.Udp or LvsProtocol.Sctp))
        {
            throw LvsException.InvalidArgument("InvalidProtocol", $"Protocol '{protocol}' is not valid for an address service; allowed: Tcp, Udp, Sctp.", protocol);
        }
        Validation.RequireUnicastAddress(address, "virtual address");
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) address = new IPAddress(address.GetAddressBytes());
        return new VirtualServiceId(protocol, address, port, 0, address.AddressFamily);
    }

    /// <summary>A firewall-mark service (ipvsadm -f).</summary>
    public static VirtualServiceId ForFirewallMark(uint mark, AddressFamily family = AddressFamily.InterNetwork)
    {
        if (mark == 0)
        {
            throw LvsException.InvalidArgument("InvalidFirewallMark", "Firewall mark 0 is not valid; allowed: 1..4294967295.", mark);
        }
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw LvsException.InvalidArgument("InvalidAddressFamily", $"Address family '{family}' is not valid; allowed: InterNetwork, InterNetworkV6.", family);
        }
        return new VirtualServiceId(LvsProtocol.None, null, 0, mark, family);
    }

    /// <summary>Parses the text form; throws an <see cref="LvsException"/> that names the value and the allowed forms.</summary>
    public static VirtualServiceId Parse(string text)
    {
        if (TryParse(text, out var id, out var error)) return id;
        throw LvsException.InvalidArgument("InvalidVirtualService", error!, text);
    }

    public static bool TryParse(string? text, [NotNullWhen(true)] out VirtualServiceId? id) => TryParse(text, out id, out _);

    public static bool TryParse(string? text, [NotNullWhen(true)] out VirtualServiceId? id, out string? error)
    {
        id = null;
        const string forms = "allowed forms: tcp/ADDRESS:PORT, udp/ADDRESS:PORT, sctp/ADDRESS:PORT (IPv6 as [ADDRESS]:PORT), fwm/MARK, fwm6/MARK";
        if (string.IsNullOrWhiteSpace(text))
        {
            error = $"Virtual service '' is empty; {forms}.";
            return false;
        }
        var s = text.Trim();
        int slash = s.IndexOf('/');
        if (slash <= 0)
        {
            error = $"Virtual service '{ValueText.Cut(s)}' has no protocol prefix; {forms}.";
            return false;
        }
        var prefix = s[..slash].ToLowerInvariant();
        var rest = s[(slash + 1)..];
        if (prefix is "fwm" or "fwm6")
        {
            if (!uint.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var mark) || mark == 0)
            {
                error = $"Virtual service '{ValueText.Cut(s)}' has an invalid firewall mark '{ValueText.Cut(rest)}'; allowed: 1..4294967295.";
                return false;
            }
            id = new VirtualServiceId(LvsProtocol.None, null, 0, mark, prefix == "fwm6" ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
            error = null;
            return true;
        }
        LvsProtocol protocol;
        switch (prefix)
        {
            case "tcp": protocol = LvsProtocol.Tcp; break;
            case "udp": protocol = LvsProtocol.Udp; break;
            case "sctp": protocol = LvsProtocol.Sctp; break;
            default:
                error = $"Virtual service '{ValueText.Cut(s)}' has an unknown protocol '{ValueText.Cut(prefix)}'; {forms}.";
                return false;
        }
        if (!EndpointText.TryParse(rest, requirePort: true, out var address, out var port, out var endpointError))
        {
            error = $"Virtual service '{ValueText.Cut(s)}': {endpointError}; {forms}.";
            return false;
        }
        if (!Validation.IsUnicast(address!))
        {
            error = $"Virtual service '{ValueText.Cut(s)}': address '{address}' is not a unicast address.";
            return false;
        }
        id = ForAddress(protocol, address!, port!.Value);
        error = null;
        return true;
    }

    public override string ToString()
    {
        if (IsFirewallMark)
        {
            return (AddressFamily == AddressFamily.InterNetworkV6 ? "fwm6/" : "fwm/") + FirewallMark.ToString(CultureInfo.InvariantCulture);
        }
        var proto = Protocol switch { LvsProtocol.Tcp => "tcp", LvsProtocol.Udp => "udp", LvsProtocol.Sctp => "sctp", _ => "?" };
        return proto + "/" + EndpointText.Format(Address!, Port);
    }

    public bool Equals(VirtualServiceId? other) =>
        other is not null && Protocol == other.Protocol && Port == other.Port && FirewallMark == other.FirewallMark &&
        AddressFamily == other.AddressFamily && Equals(Address, other.Address);

    public override bool Equals(object? obj) => obj is VirtualServiceId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Protocol, Address, Port, FirewallMark, AddressFamily);

    public static bool operator ==(VirtualServiceId? a, VirtualServiceId? b) => a is null ? b is null : a.Equals(b);

    public static bool operator !=(VirtualServiceId? a, VirtualServiceId? b) => !(a == b);
}
