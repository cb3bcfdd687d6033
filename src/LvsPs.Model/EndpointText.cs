using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LvsPs.Model;

/// <summary>Formats and parses <c>ADDRESS:PORT</c> / <c>[IPV6]:PORT</c> the way ipvsadm writes them.</summary>
public static class EndpointText
{
    public static string Format(IPAddress address, ushort port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6
            ? "[" + address + "]:" + port.ToString(CultureInfo.InvariantCulture)
            : address + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>As <see cref="Format(IPAddress, ushort)"/> for an address given as text (as output objects hold it).</summary>
    public static string Format(string address, ushort port) =>
        address.Contains(':') ? "[" + address + "]:" + port.ToString(CultureInfo.InvariantCulture) : address + ":" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Parses ADDRESS, ADDRESS:PORT, [IPV6] or [IPV6]:PORT. A bare IPv6 address without brackets has no port.</summary>
    public static bool TryParse(string text, bool requirePort, out IPAddress? address, out ushort? port, out string? error)
    {
        address = null;
        port = null;
        error = null;
        string addrPart;
        string? portPart = null;
        if (text.StartsWith('['))
        {
            int close = text.IndexOf(']');
            if (close < 0)
            {
                error = $"'{ValueText.Cut(text)}' has '[' without ']'";
                return false;
            }
            addrPart = text[1..close];
            var tail = text[(close + 1)..];
            if (tail.Length > 0)
            {
                if (tail[0] != ':')
                {
                    error = $"'{ValueText.Cut(text)}' has unexpected text after ']'";
                    return false;
                }
                portPart = tail[1..];
            }
        }
        else
        {
            int colon = text.IndexOf(':');
            if (colon >= 0 && text.IndexOf(':', colon + 1) < 0)
            {
                addrPart = text[..colon];
                portPart = text[(colon + 1)..];
            }
            else
            {
                addrPart = text;
            }
        }
        if (!IPAddress.TryParse(addrPart, out var parsed) || addrPart.Contains('%'))
        {
            error = $"'{ValueText.Cut(addrPart)}' is not an IPv4 or IPv6 address";
            return false;
        }
        if (parsed.AddressFamily == AddressFamily.InterNetwork && addrPart.Count(c => c == '.') != 3)
        {
            error = $"'{ValueText.Cut(addrPart)}' is not a dotted-quad IPv4 address";
            return false;
        }
        address = parsed;
        if (portPart is null)
        {
            if (requirePort)
            {
                error = $"'{ValueText.Cut(text)}' has no port";
                return false;
            }
            return true;
        }
        if (!ushort.TryParse(portPart, NumberStyles.None, CultureInfo.InvariantCulture, out var p))
        {
            error = $"port '{ValueText.Cut(portPart)}' is not valid; allowed: 0..65535";
            return false;
        }
        port = p;
        return true;
    }
}
