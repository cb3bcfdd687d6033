namespace LvsPs.Model;

/// <summary>
/// A version of the PROXY protocol (haproxy's doc/proxy-protocol.txt): a header the director writes at the start of a
/// connection to a real server, carrying the client's address and port (HAProxy's <c>send-proxy</c> /
/// <c>send-proxy-v2</c>).
/// </summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum ProxyProtocol : long
{
    /// <summary>No header: the real server sees the director's address (or the client's, in transparent mode).</summary>
    None = 0,

    /// <summary>Version 1, one line of text (<c>PROXY TCP4 src dst sport dport\r\n</c>).</summary>
    V1 = 1,

    /// <summary>Version 2, binary (a 16-byte header and the addresses).</summary>
    V2 = 2,
}

/// <summary>What source address a real server of the managed engine sees for a client's connection.</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum ClientAddressView : long
{
    /// <summary>The director's own address (the engine proxies the connection; the usual case).</summary>
    Director = 0,

    /// <summary>The director's address, with the client's in a PROXY protocol v1 header.</summary>
    ProxyV1 = 1,

    /// <summary>The director's address, with the client's in a PROXY protocol v2 header.</summary>
    ProxyV2 = 2,

    /// <summary>The client's own address and port (transparent mode, IP_TRANSPARENT), as behind LVS masquerading.</summary>
    Client = 3,
}

/// <summary>Rules that tie the client-address settings together (one place for every entrance).</summary>
public static class ClientAddressing
{
    /// <summary>What a real server with <paramref name="own"/> PROXY setting sees on <paramref name="service"/>.</summary>
    public static ClientAddressView ViewOf(VirtualServiceSettings service, ProxyProtocol? own)
    {
        var proxy = own ?? service.SendProxy;
        if (proxy == ProxyProtocol.V1) return ClientAddressView.ProxyV1;
        if (proxy == ProxyProtocol.V2) return ClientAddressView.ProxyV2;
        return service.Transparent ? ClientAddressView.Client : ClientAddressView.Director;
    }

    /// <summary>Throws when <paramref name="proxy"/> is not a defined version.</summary>
    public static void RequireKnown(ProxyProtocol proxy, string what)
    {
        if (!Enum.IsDefined(proxy))
        {
            throw LvsException.InvalidArgument("InvalidProxyProtocol", $"{what} '{proxy}' is not a PROXY protocol version; allowed: None, V1, V2.", proxy);
        }
    }
}

/// <summary>
/// The managed engine's connection features (content rules and groups, PROXY protocol, transparent mode) work on the
/// start of a TCP stream that the engine terminates; kernel IPVS forwards packets and has none of them.
/// </summary>
public static class ConnectionFeatures
{
    public static void RequireManaged(VirtualServiceSettings settings)
    {
        if (settings.UsesConnectionFeatures)
        {
            throw LvsException.NotSupported("ConnectionFeaturesNeedManaged",
                $"Virtual service '{settings.Id}' uses content rules, the PROXY protocol or transparent mode, which the managed engine provides (it terminates TCP); kernel IPVS forwards packets and cannot. Use the managed director, or remove those settings.", settings.Id);
        }
    }

    public static void RequireManaged(RealServerSettings settings)
    {
        if (settings.SendProxy is not null || settings.Group is not null)
        {
            throw LvsException.NotSupported("ConnectionFeaturesNeedManaged",
                $"Real server '{settings.Id}' has a group or a PROXY protocol setting, which only the managed engine provides; kernel IPVS cannot.", settings.Id);
        }
    }
}
