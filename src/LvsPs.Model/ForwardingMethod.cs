namespace LvsPs.Model;

/// <summary>
/// How the director hands a connection to a real server. Values are the kernel's IP_VS_CONN_F_FWD_MASK values
/// (include/uapi/linux/ip_vs.h: MASQ 0, LOCALNODE 1, TUNNEL 2, DROUTE 3).
/// </summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum ForwardingMethod : long
{
    /// <summary>NAT: the director rewrites addresses both ways (ipvsadm -m, shown as "Masq").</summary>
    Masquerade = 0,
    /// <summary>The real server is the director itself (shown as "Local"); the kernel sets this, users cannot ask for it.</summary>
    Local = 1,
    /// <summary>IP-in-IP (or GUE/GRE) tunnelling (ipvsadm -i, shown as "Tunnel").</summary>
    Tunnel = 2,
    /// <summary>Direct routing: the frame is sent to the real server's MAC (ipvsadm -g, shown as "Route").</summary>
    DirectRoute = 3,
}

/// <summary>Tunnel encapsulation for <see cref="ForwardingMethod.Tunnel"/> (IP_VS_CONN_F_TUNNEL_TYPE_*).</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum TunnelType : long
{
    IpIp = 0,
    Gue = 1,
    Gre = 2,
}

/// <summary>Tunnel checksum options (IP_VS_TUNNEL_ENCAP_FLAG_*).</summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
[Flags]
public enum TunnelFlags : long
{
    None = 0,
    NoChecksum = 0,
    Checksum = 1 << 0,
    RemoteChecksum = 1 << 1,
}

/// <summary>Display names used by ipvsadm's listing.</summary>
public static class ForwardingMethodNames
{
    public static string ToIpvsadmName(this ForwardingMethod method) => method switch
    {
        ForwardingMethod.Masquerade => "Masq",
        ForwardingMethod.Local => "Local",
        ForwardingMethod.Tunnel => "Tunnel",
        ForwardingMethod.DirectRoute => "Route",
        _ => method.ToString(),
    };
}
