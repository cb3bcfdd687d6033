using System.Net.Sockets;

namespace LvsPs.Model;

/// <summary>
/// The order ipvsadm lists services in (libipvs ipvs_cmp_services): firewall mark, then address family, protocol,
/// address and port, so address services come before firewall-mark services.
/// </summary>
public sealed class VirtualServiceOrder : IComparer<VirtualServiceId>
{
    public static readonly VirtualServiceOrder Instance = new();

    public int Compare(VirtualServiceId? x, VirtualServiceId? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        int r = x.FirewallMark.CompareTo(y.FirewallMark);
        if (r != 0) return r;
        r = Family(x.AddressFamily).CompareTo(Family(y.AddressFamily));
        if (r != 0) return r;
        r = ((ushort)x.Protocol).CompareTo((ushort)y.Protocol);
        if (r != 0) return r;
        if (x.Address is not null && y.Address is not null)
        {
            r = x.Address.GetAddressBytes().AsSpan().SequenceCompareTo(y.Address.GetAddressBytes());
            if (r != 0) return r;
        }
        return x.Port.CompareTo(y.Port);
    }

    private static int Family(AddressFamily f) => f == AddressFamily.InterNetworkV6 ? 10 : 2;
}
