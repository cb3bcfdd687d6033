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
    /// Items given as their text form (Get-LvsBgp's "10.0.0.1 as 65000"; a comma-separated list in one string, as a CSV
    /// cell holds it), as model objects, or as objects or hashtables with the model's properties: each becomes a model
    /// object through the model's <paramref name="parse"/>, which names a bad value and what is allowed.
    /// </summary>
    public static IReadOnlyList<T> TextForms<T>(IEnumerable<object>? items, Func<string, T> parse, Func<object, string> textOf) where T : class
    {
        var list = new List<T>();
        void Add(object? raw, int depth)
        {
            switch (Unwrap(raw))
            {
                case T value: list.Add(value); break;
                case string text: list.AddRange(text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(parse)); break;
                case null: break;
                // a list property of a piped object (Get-LvsBgp's TextList) binds as one item: its items are the values
                case System.Collections.IEnumerable many when many is not System.Collections.IDictionary && depth == 0:
                    foreach (var item in many) Add(item, depth + 1);
                    break;
                case object other: list.Add(parse(textOf(other))); break;
            }
        }
        foreach (var raw in items ?? Array.Empty<object>()) Add(raw, 0);
        return list;
    }

    /// <summary>A property of an object, or a key of a hashtable, as invariant text ("" when it has none).</summary>
    public static string Property(object item, string name)
    {
        object? value = Unwrap(item) is System.Collections.IDictionary d
            ? d.Keys.Cast<object>().Where(k => string.Equals(k.ToString(), name, StringComparison.OrdinalIgnoreCase)).Select(k => d[k]).FirstOrDefault()
            : PSObject.AsPSObject(item).Properties[name]?.Value;
        return Unwrap(value) switch
        {
            null => string.Empty,
            IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            object v => v.ToString() ?? string.Empty,
        };
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
