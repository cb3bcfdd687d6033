using System.Collections;
using System.Management.Automation;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>
/// Lets -VirtualService take the identity string (<c>tcp/192.168.0.1:80</c>), a VirtualService or RealServer object, or
/// a VirtualServiceId. A string that does not parse is refused with a message naming it and the allowed forms.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class VirtualServiceTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        inputData = Unwrap(inputData);
        if (inputData is IList list && inputData is not string)
        {
            var result = new VirtualServiceId[list.Count];
            for (int i = 0; i < list.Count; i++) result[i] = ToId(Unwrap(list[i]));
            return result;
        }
        return ToId(inputData);
    }

    internal static VirtualServiceId ToId(object? value) => value switch
    {
        VirtualServiceId id => id,
        VirtualService svc => svc.Id,
        RealServer rs => rs.VirtualService,
        LvsStatsRecord rec => rec.VirtualService,
        string s => VirtualServiceId.TryParse(s, out var id, out var error) ? id : throw new ArgumentTransformationMetadataException(error),
        null => throw new ArgumentTransformationMetadataException("A virtual service is required; allowed forms: tcp/ADDRESS:PORT, udp/ADDRESS:PORT, sctp/ADDRESS:PORT, fwm/MARK, fwm6/MARK."),
        _ => throw new ArgumentTransformationMetadataException($"Cannot use a {value.GetType().Name} ('{value}') as a virtual service; give its identity string (such as tcp/192.168.0.1:80) or a VirtualService object."),
    };

    internal static object? Unwrap(object? value) => value is PSObject pso ? pso.BaseObject : value;
}

/// <summary>
/// Parses an IP address strictly: a dotted quad or an IPv6 address (no "10" meaning 0.0.0.10, no zone id). The message
/// of a refused value names it and says what is allowed.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class IPAddressTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        inputData = VirtualServiceTransformationAttribute.Unwrap(inputData);
        return inputData switch
        {
            IPAddress a => a,
            string s => Parse(s),
            null => null,
            _ => Parse(inputData.ToString() ?? string.Empty),
        };
    }

    internal static IPAddress Parse(string text)
    {
        var s = text.Trim();
        if (s.StartsWith('[') && s.EndsWith(']')) s = s[1..^1];
        if (s.Length == 0 || s.Contains(':') == false && s.Count(c => c == '.') != 3 || s.Contains('%') || !IPAddress.TryParse(s, out var address))
        {
            throw new ArgumentTransformationMetadataException($"'{text}' is not a valid IP address; allowed: a dotted-quad IPv4 address (such as 10.0.0.2) or an IPv6 address (such as 2001:db8::2).");
        }
        return address;
    }
}
