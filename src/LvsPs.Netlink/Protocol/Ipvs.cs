namespace LvsPs.Netlink.Protocol;

/// <summary>The IPVS generic netlink family (include/uapi/linux/ip_vs.h, "IPVS Generic Netlink interface definitions").</summary>
public static class IpvsConstants
{
    public const string FamilyName = "IPVS"; // IPVS_GENL_NAME
    public const byte FamilyVersion = 1; // IPVS_GENL_VERSION

    /// <summary>IP_VS_SVC_F_HASHED: set by the kernel on every hashed service, never by users.</summary>
    public const uint ServiceFlagHashed = 0x0002;

    /// <summary>IP_VS_CONN_F_FWD_MASK.</summary>
    public const uint ForwardMask = 0x0007;

    /// <summary>IP_VS_SCHEDNAME_MAXLEN, IP_VS_PENAME_MAXLEN and IP_VS_IFNAME_MAXLEN (each including the NUL).</summary>
    public const int NameMaxLength = 16;
}

/// <summary>IPVS_CMD_* (ip_vs.h).</summary>
public enum IpvsCommand : byte
{
    NewService = 1,
    SetService = 2,
    DeleteService = 3,
    GetService = 4,
    NewDestination = 5,
    SetDestination = 6,
    DeleteDestination = 7,
    GetDestination = 8,
    NewDaemon = 9,
    DeleteDaemon = 10,
    GetDaemon = 11,
    SetConfig = 12,
    GetConfig = 13,
    SetInfo = 14,
    GetInfo = 15,
    Zero = 16,
    Flush = 17,
}

/// <summary>IPVS_CMD_ATTR_* (ip_vs.h): the first level of every IPVS message.</summary>
public enum IpvsCommandAttribute : ushort
{
    Service = 1,
    Destination = 2,
    Daemon = 3,
    TimeoutTcp = 4,
    TimeoutTcpFin = 5,
    TimeoutUdp = 6,
}

/// <summary>IPVS_SVC_ATTR_* (ip_vs.h), nested in <see cref="IpvsCommandAttribute.Service"/>.</summary>
public enum ServiceAttribute : ushort
{
    AddressFamily = 1, // u16
    Protocol = 2, // u16
    Address = 3, // union nf_inet_addr (16 bytes; IPv4 in the first 4)
    Port = 4, // __be16
    FirewallMark = 5, // u32
    SchedulerName = 6, // NUL-terminated string
    Flags = 7, // struct ip_vs_flags { u32 flags; u32 mask; }
    Timeout = 8, // u32 seconds
    Netmask = 9, // __be32 for IPv4; the prefix length (host order) for IPv6
    Stats = 10, // nested IPVS_STATS_ATTR_*, 32-bit counters
    PersistenceEngineName = 11, // NUL-terminated string
    Stats64 = 12, // nested IPVS_STATS_ATTR_*, 64-bit counters
}

/// <summary>IPVS_DEST_ATTR_* (ip_vs.h), nested in <see cref="IpvsCommandAttribute.Destination"/>.</summary>
public enum DestinationAttribute : ushort
{
    Address = 1, // union nf_inet_addr
    Port = 2, // __be16
    ForwardMethod = 3, // u32 (IP_VS_CONN_F_FWD_MASK bits)
    Weight = 4, // u32 (the kernel reads it as int and refuses < 0)
    UpperThreshold = 5, // u32
    LowerThreshold = 6, // u32
    ActiveConnections = 7, // u32
    InactiveConnections = 8, // u32
    PersistentConnections = 9, // u32
    Stats = 10,
    AddressFamily = 11, // u16
    Stats64 = 12,
    TunnelType = 13, // u8
    TunnelPort = 14, // __be16
    TunnelFlags = 15, // u16
}

/// <summary>IPVS_DAEMON_ATTR_* (ip_vs.h), nested in <see cref="IpvsCommandAttribute.Daemon"/>.</summary>
public enum DaemonAttribute : ushort
{
    State = 1, // u32 IP_VS_STATE_MASTER / BACKUP
    InterfaceName = 2, // string
    SyncId = 3, // u32
    SyncMaxLength = 4, // u16
    MulticastGroup = 5, // __be32 (in_addr)
    MulticastGroup6 = 6, // struct in6_addr
    MulticastPort = 7, // u16 (host order; the kernel converts)
    MulticastTtl = 8, // u8
}

/// <summary>IPVS_STATS_ATTR_* (ip_vs.h).</summary>
public enum StatsAttribute : ushort
{
    Connections = 1,
    InPackets = 2,
    OutPackets = 3,
    InBytes = 4,
    OutBytes = 5,
    ConnectionRate = 6,
    InPacketRate = 7,
    OutPacketRate = 8,
    InByteRate = 9,
    OutByteRate = 10,
    Pad = 11,
}

/// <summary>IPVS_INFO_ATTR_* (ip_vs.h), the reply to GET_INFO.</summary>
public enum InfoAttribute : ushort
{
    Version = 1, // u32: major << 16 | minor << 8 | patch
    ConnectionTableSize = 2, // u32
}
