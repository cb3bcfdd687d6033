using System.Management.Automation;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// How cmdlet arguments become model values. -VirtualService parameters are typed VirtualServiceId and bind through
/// PowerShell's own conversion (VirtualServiceId.Parse for a string, the implicit conversion for a VirtualService
/// object), so a bad value fails binding as an InvalidArgument error that quotes the parser's message. Addresses are
/// taken as strings and parsed here, strictly, because PowerShell's IPAddress conversion would take "10" as 0.0.0.10.
/// </summary>
public static class Arguments
{
    public static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;

    /// <summary>A virtual service identity from what a completer finds bound (a string or an object).</summary>
    public static VirtualServiceId ToServiceId(object? value) => Unwrap(value) switch
    {
        VirtualServiceId id => id,
        VirtualService svc => svc.Settings.Id,
        RealServer rs => rs.ServiceId,
        LvsStatsRecord rec => rec.ServiceId,
        object other => VirtualServiceId.Parse(other.ToString() ?? string.Empty),
        null => throw LvsException.InvalidArgument("InvalidVirtualService", "A virtual service is required.", null),
    };

    /// <summary>
    /// Parses an address, or an endpoint as ipvsadm -r takes it: 10.0.0.2, 10.0.0.2:80, 2001:db8::2, [2001:db8::2]:80.
    /// Anything else is an InvalidArgument LvsException that names the value and says what is allowed.
    /// </summary>
    public static (IPAddress Address, ushort? Port) ParseEndpoint(string? text, string what = "address")
    {
        var s = (text ?? string.Empty).Trim();
        if (s.Length > 0 && EndpointText.TryParse(s, requirePort: false, out var address, out var port, out _)) return (address!, port);
        throw LvsException.InvalidArgument("InvalidAddress",
            $"The {what} '{text}' is not a valid address or ADDRESS:PORT; allowed: 10.0.0.2, 10.0.0.2:80, 2001:db8::2 or [2001:db8::2]:80.", text);
    }

    /// <summary>
    /// Parses an IP address strictly: a dotted quad or an IPv6 address (brackets allowed, no zone id). Anything else is
    /// an InvalidArgument LvsException that names the value and says what is allowed.
    /// </summary>
    public static IPAddress ParseAddress(string? text, string what = "address")
    {
        var s = (text ?? string.Empty).Trim();
        if (s.StartsWith('[') && s.EndsWith(']')) s = s[1..^1];
        bool looksValid = s.Length > 0 && !s.Contains('%') && (s.Contains(':') || s.Count(c => c == '.') == 3);
        if (!looksValid || !IPAddress.TryParse(s, out var address))
        {
            throw LvsException.InvalidArgument("InvalidAddress",
                $"The {what} '{ValueText.Cut(text)}' is not a valid IP address; allowed: a dotted-quad IPv4 address (such as 10.0.0.2) or an IPv6 address (such as 2001:db8::2).", text);
        }
        return address;
    }
}
