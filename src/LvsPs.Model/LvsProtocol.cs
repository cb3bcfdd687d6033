namespace LvsPs.Model;

/// <summary>
/// The transport protocol of a virtual service. Values are the IANA protocol numbers, which is also what the kernel's
/// IPVS_SVC_ATTR_PROTOCOL carries (include/uapi/linux/in.h: IPPROTO_TCP 6, IPPROTO_UDP 17, IPPROTO_SCTP 132).
/// </summary>
/// <remarks>Based on long so that ConvertTo-Json and Export-Csv write the name (docs/output-objects.md).</remarks>
public enum LvsProtocol : long
{
    /// <summary>No protocol: a firewall-mark service matches packets by mark, whatever their protocol.</summary>
    None = 0,
    Tcp = 6,
    Udp = 17,
    Sctp = 132,
}
