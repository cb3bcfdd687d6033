using System.Net;
using System.Net.Sockets;
using LvsPs.Model.Settings;

namespace LvsPs.Model;

/// <summary>Ranges and rules, following ipvsadm 1.31 where it has one (ipvsadm.c parse_* and the kernel's checks).</summary>
public static class Validation
{
    /// <summary>ipvsadm accepts weights 0..65535 (ipvsadm.c: parse -w with range 0..65535).</summary>
    public const int MaxWeight = 65535;

    /// <summary>ipvsadm accepts upper/lower thresholds 0..INT_MAX (0 means no threshold).</summary>
    public const uint MaxThreshold = int.MaxValue;

    /// <summary>A real server's weight.</summary>
    public static readonly ValueRange WeightRange = new(0, MaxWeight);

    /// <summary>A real server's upper and lower connection thresholds.</summary>
    public static readonly ValueRange ThresholdRange = new(0, MaxThreshold);

    /// <summary>A TCP, UDP or SCTP port (0: a firewall-mark service's real server, or the service's own port).</summary>
    public static readonly ValueRange PortRange = ValueRange.Bits(16);

    /// <summary>
    /// ipvsadm's persistence timeout when -p is given without a value, in seconds: libipvs IPVS_SVC_PERSISTENT_TIMEOUT
    /// is 6*60 (ipvsadm 1.31 as Debian ships it prints "persistent 360").
    /// </summary>
    public const uint DefaultPersistenceTimeout = 360;

    /// <summary>The kernel's limit on scheduler and persistence-engine names (IP_VS_SCHEDNAME_MAXLEN, IP_VS_PENAME_MAXLEN).</summary>
    public const int MaxSchedulerNameLength = 15;

    /// <summary>
    /// The persistence engines the kernel has: only "sip" (net/netfilter/ipvs/ip_vs_pe_sip.c registers the one
    /// ip_vs_pe, name "sip"); ipvsadm --pe passes any name and the kernel refuses an unknown one with ENOENT.
    /// </summary>
    public static readonly IReadOnlyList<string> PersistenceEngines = new[] { "sip" };

    public static bool IsUnicast(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0) && b[0] < 224 && !address.Equals(IPAddress.Broadcast);
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            return !address.Equals(IPAddress.IPv6Any) && !address.IsIPv6Multicast;
        }
        return false;
    }

    public static void RequireUnicastAddress(IPAddress address, string what)
    {
        if (!IsUnicast(address))
        {
            throw LvsException.InvalidArgument("InvalidAddress",
                $"The {what} '{address}' is not valid; allowed: a unicast IPv4 or IPv6 address (not 0.0.0.0, ::, broadcast or multicast).", address);
        }
    }

    public static void RequireWeight(int weight)
    {
        if (!WeightRange.Contains(weight))
        {
            throw LvsException.InvalidArgument("InvalidWeight", $"Weight {weight} is out of range; allowed: {WeightRange}.", weight);
        }
    }

    public static void RequireThresholds(uint upper, uint lower)
    {
        if (!ThresholdRange.Contains(upper))
        {
            throw LvsException.InvalidArgument("InvalidUpperThreshold", $"Upper threshold {upper} is out of range; allowed: {ThresholdRange} (0 = no limit).", upper);
        }
        if (!ThresholdRange.Contains(lower))
        {
            throw LvsException.InvalidArgument("InvalidLowerThreshold", $"Lower threshold {lower} is out of range; allowed: {ThresholdRange}.", lower);
        }
        // The kernel refuses l_threshold > u_threshold when an upper limit is set (ip_vs_ctl.c: ip_vs_add_dest/ip_vs_edit_dest).
        if (upper != 0 && lower > upper)
        {
            throw LvsException.InvalidArgument("InvalidThresholds", $"Lower threshold {lower} is greater than upper threshold {upper}; the lower threshold must not exceed the upper one.", lower);
        }
    }
}
