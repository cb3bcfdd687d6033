using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace LvsPs.Model;

/// <summary>Text forms of the persistence netmask: dotted quad for IPv4, a prefix length for IPv6, as ipvsadm prints them.</summary>
public static class NetmaskText
{
    public static string FormatIPv4(uint hostOrderMask) =>
        new IPAddress(new[] { (byte)(hostOrderMask >> 24), (byte)(hostOrderMask >> 16), (byte)(hostOrderMask >> 8), (byte)hostOrderMask }).ToString();

    public static string Format(uint netmask, AddressFamily family) =>
        family == AddressFamily.InterNetworkV6 ? netmask.ToString(CultureInfo.InvariantCulture) : FormatIPv4(netmask);

    /// <summary>Parses "255.255.255.0", "/24" or "24" (prefix length) into the model's form for <paramref name="family"/>.</summary>
    public static uint Parse(string text, AddressFamily family)
    {
        var s = text.Trim().TrimStart('/');
        if (uint.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            uint max = family == AddressFamily.InterNetworkV6 ? 128u : 32u;
            if (prefix < 1 || prefix > max)
            {
                throw LvsException.InvalidArgument("InvalidNetmask", $"Netmask prefix length '{ValueText.Cut(text)}' is out of range; allowed: 1..{max}.", text);
            }
            return family == AddressFamily.InterNetworkV6 ? prefix : (prefix == 32 ? uint.MaxValue : ~(uint.MaxValue >> (int)prefix));
        }
        if (family == AddressFamily.InterNetwork && IPAddress.TryParse(s, out var mask) && mask.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = mask.GetAddressBytes();
            return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
        }
        throw LvsException.InvalidArgument("InvalidNetmask",
            $"Netmask '{ValueText.Cut(text)}' is not valid; allowed: a dotted IPv4 netmask such as 255.255.255.0 or a prefix length (1..32 for IPv4, 1..128 for IPv6).", text);
    }
}
