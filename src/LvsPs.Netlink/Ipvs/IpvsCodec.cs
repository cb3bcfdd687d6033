using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using LvsPs.Model;
using LvsPs.Netlink.Protocol;

namespace LvsPs.Netlink.Ipvs;

/// <summary>
/// Encodes the model into IPVS attributes and decodes the kernel's replies (ip_vs.h; what ip_vs_ctl.c reads in
/// ip_vs_genl_parse_service / ip_vs_genl_parse_dest / ip_vs_genl_new_daemon and writes in ip_vs_genl_fill_*).
/// Pure: byte arrays in, model objects out.
/// </summary>
public static class IpvsCodec
{
    private const ushort AfInet = 2; // AF_INET
    private const ushort AfInet6 = 10; // AF_INET6
    private const int InetAddressLength = 16; // sizeof(union nf_inet_addr)

    public static ushort Family(AddressFamily family) => family == AddressFamily.InterNetworkV6 ? AfInet6 : AfInet;

    public static AddressFamily Family(ushort af) => af switch
    {
        AfInet => AddressFamily.InterNetwork,
        AfInet6 => AddressFamily.InterNetworkV6,
        _ => throw new InvalidDataException($"Unknown address family {af} from the kernel."),
    };

    /// <summary>The identity of a service: enough for GET/DEL_SERVICE and for the service part of destination requests.</summary>
    public static void WriteServiceId(MessageWriter w, VirtualServiceId id)
    {
        w.PutU16((ushort)ServiceAttribute.AddressFamily, Family(id.AddressFamily));
        if (id.IsFirewallMark)
        {
            w.PutU32((ushort)ServiceAttribute.FirewallMark, id.FirewallMark);
        }
        else
        {
            w.PutU16((ushort)ServiceAttribute.Protocol, (ushort)id.Protocol);
            PutAddress(w, (ushort)ServiceAttribute.Address, id.Address!);
            w.PutBe16((ushort)ServiceAttribute.Port, id.Port);
        }
    }

    /// <summary>A nested IPVS_CMD_ATTR_SERVICE with the identity only.</summary>
    public static void WriteServiceKey(MessageWriter w, VirtualServiceId id)
    {
        int n = w.BeginNested((ushort)IpvsCommandAttribute.Service);
        WriteServiceId(w, id);
        w.EndNested(n);
    }

    /// <summary>A nested IPVS_CMD_ATTR_SERVICE with every setting (NEW/SET_SERVICE need sched name, flags, timeout, netmask).</summary>
    public static void WriteService(MessageWriter w, VirtualServiceSettings s)
    {
        int n = w.BeginNested((ushort)IpvsCommandAttribute.Service);
        WriteServiceId(w, s.Id);
        w.PutString((ushort)ServiceAttribute.SchedulerName, s.Scheduler);
        if (!string.IsNullOrEmpty(s.PersistenceEngine)) w.PutString((ushort)ServiceAttribute.PersistenceEngineName, s.PersistenceEngine);
        Span<byte> flags = stackalloc byte[8]; // struct ip_vs_flags: the flags, and a mask saying all of them are meant
        BinaryPrimitives.WriteUInt32LittleEndian(flags, (uint)s.Flags & ~Protocol.IpvsConstants.ServiceFlagHashed);
        BinaryPrimitives.WriteUInt32LittleEndian(flags[4..], uint.MaxValue);
        w.PutBytes((ushort)ServiceAttribute.Flags, flags);
        w.PutU32((ushort)ServiceAttribute.Timeout, s.PersistenceTimeout);
        if (s.Id.AddressFamily == AddressFamily.InterNetworkV6) w.PutU32((ushort)ServiceAttribute.Netmask, s.EffectiveNetmask); // prefix length
        else w.PutBe32((ushort)ServiceAttribute.Netmask, s.Netmask); // __be32 netmask
        w.EndNested(n);
    }

    /// <summary>A nested IPVS_CMD_ATTR_DEST with every setting (NEW/SET_DEST need fwd method, weight and thresholds).</summary>
    public static void WriteDestination(MessageWriter w, RealServerSettings d)
    {
        int n = w.BeginNested((ushort)IpvsCommandAttribute.Destination);
        WriteDestinationId(w, d.Id);
        w.PutU32((ushort)DestinationAttribute.ForwardMethod, (uint)d.Forwarding);
        w.PutU32((ushort)DestinationAttribute.Weight, (uint)d.Weight);
        w.PutU32((ushort)DestinationAttribute.UpperThreshold, d.UpperThreshold);
        w.PutU32((ushort)DestinationAttribute.LowerThreshold, d.LowerThreshold);
        if (d.Forwarding == ForwardingMethod.Tunnel)
        {
            w.PutU8((ushort)DestinationAttribute.TunnelType, (byte)d.TunnelType);
            w.PutBe16((ushort)DestinationAttribute.TunnelPort, d.TunnelPort);
            w.PutU16((ushort)DestinationAttribute.TunnelFlags, (ushort)d.TunnelFlags);
        }
        w.EndNested(n);
    }

    /// <summary>A nested IPVS_CMD_ATTR_DEST with the identity only (DEL_DEST).</summary>
    public static void WriteDestinationKey(MessageWriter w, RealServerId id)
    {
        int n = w.BeginNested((ushort)IpvsCommandAttribute.Destination);
        WriteDestinationId(w, id);
        w.EndNested(n);
    }

    private static void WriteDestinationId(MessageWriter w, RealServerId id)
    {
        w.PutU16((ushort)DestinationAttribute.AddressFamily, Family(id.AddressFamily));
        PutAddress(w, (ushort)DestinationAttribute.Address, id.Address);
        w.PutBe16((ushort)DestinationAttribute.Port, id.Port);
    }

    /// <summary>A nested IPVS_CMD_ATTR_DAEMON (NEW_DAEMON needs state, interface and sync id; the rest is optional).</summary>
    public static void WriteDaemon(MessageWriter w, SyncDaemon d)
    {
        int n = w.BeginNested((ushort)IpvsCommandAttribute.Daemon);
        w.PutU32((ushort)DaemonAttribute.State, (uint)d.Role);
        w.PutString((ushort)DaemonAttribute.InterfaceName, d.Interface);
        w.PutU32((ushort)DaemonAttribute.SyncId, d.SyncId);
        if (d.MaxLength != 0) w.PutU16((ushort)DaemonAttribute.SyncMaxLength, d.MaxLength);
        if (d.GroupAddress is { } g)
        {
            if (g.AddressFamily == AddressFamily.InterNetworkV6) w.PutBytes((ushort)DaemonAttribute.MulticastGroup6, g.GetAddressBytes());
            else w.PutBytes((ushort)DaemonAttribute.MulticastGroup, g.GetAddressBytes()); // in_addr, network order
        }
        if (d.Port != 0) w.PutU16((ushort)DaemonAttribute.MulticastPort, d.Port);
        if (d.Ttl != 0) w.PutU8((ushort)DaemonAttribute.MulticastTtl, d.Ttl);
        w.EndNested(n);
    }

    /// <summary>The state attribute alone (DEL_DAEMON).</summary>
    public static void WriteDaemonRole(MessageWriter w, SyncDaemonRole role)
    {
        int n = w.BeginNested((ushort)IpvsCommandAttribute.Daemon);
        w.PutU32((ushort)DaemonAttribute.State, (uint)role);
        w.EndNested(n);
    }

    private static void PutAddress(MessageWriter w, ushort type, IPAddress address)
    {
        Span<byte> buffer = stackalloc byte[InetAddressLength];
        buffer.Clear();
        address.TryWriteBytes(buffer, out _);
        w.PutBytes(type, buffer);
    }

    /// <summary>Decodes one service (IPVS_CMD_ATTR_SERVICE of a GET_SERVICE reply) into settings and stats.</summary>
    public static (VirtualServiceSettings Settings, LvsStats Stats) ReadService(AttributeSet svc)
    {
        var family = Family(svc.U16((ushort)ServiceAttribute.AddressFamily) ?? throw Missing("service address family"));
        bool v6 = family == AddressFamily.InterNetworkV6;
        uint mark = svc.U32((ushort)ServiceAttribute.FirewallMark) ?? 0;
        VirtualServiceId id;
        try
        {
            id = mark != 0
                ? VirtualServiceId.ForFirewallMark(mark, family)
                : VirtualServiceId.ForAddress(
                    (LvsProtocol)(svc.U16((ushort)ServiceAttribute.Protocol) ?? throw Missing("service protocol")),
                    svc.Address((ushort)ServiceAttribute.Address, v6) ?? throw Missing("service address"),
                    svc.Be16((ushort)ServiceAttribute.Port) ?? 0);
        }
        catch (LvsException e)
        {
            // a service the model cannot hold (an unknown protocol number, found by fuzzing) is a malformed reply
            throw new InvalidDataException($"The kernel's reply has a service LvsPs cannot read: {e.Message}", e);
        }
        var flagBytes = svc.Raw((ushort)ServiceAttribute.Flags);
        uint flags = flagBytes is { Length: >= 4 } f ? BinaryPrimitives.ReadUInt32LittleEndian(f.Span) & ~Protocol.IpvsConstants.ServiceFlagHashed : 0;
        bool persistent = (flags & (uint)ServiceFlags.Persistent) != 0;
        uint netmask = v6
            ? svc.U32((ushort)ServiceAttribute.Netmask) ?? 128
            : svc.Be32((ushort)ServiceAttribute.Netmask) ?? uint.MaxValue;
        var pe = svc.String((ushort)ServiceAttribute.PersistenceEngineName);
        var settings = new VirtualServiceSettings
        {
            Id = id,
            Scheduler = svc.String((ushort)ServiceAttribute.SchedulerName) ?? string.Empty,
            PersistenceTimeout = persistent ? svc.U32((ushort)ServiceAttribute.Timeout) ?? 0 : 0,
            Netmask = netmask,
            OnePacket = (flags & (uint)ServiceFlags.OnePacket) != 0,
            SchedulerFlags = (SchedulerFlags)(flags & (uint)(ServiceFlags.Sched1 | ServiceFlags.Sched2 | ServiceFlags.Sched3)),
            PersistenceEngine = string.IsNullOrEmpty(pe) ? null : pe,
        };
        return (settings, ReadStats(svc, (ushort)ServiceAttribute.Stats64, (ushort)ServiceAttribute.Stats));
    }

    /// <summary>Decodes one destination (IPVS_CMD_ATTR_DEST of a GET_DEST reply).</summary>
    public static RealServer ReadDestination(AttributeSet d, VirtualServiceId service)
    {
        var family = d.U16((ushort)DestinationAttribute.AddressFamily) is { } af ? Family(af) : service.AddressFamily;
        var address = d.Address((ushort)DestinationAttribute.Address, family == AddressFamily.InterNetworkV6) ?? throw Missing("destination address");
        var settings = new RealServerSettings
        {
            Id = new RealServerId(address, d.Be16((ushort)DestinationAttribute.Port) ?? 0),
            Forwarding = (ForwardingMethod)((d.U32((ushort)DestinationAttribute.ForwardMethod) ?? 0) & Protocol.IpvsConstants.ForwardMask),
            Weight = unchecked((int)(d.U32((ushort)DestinationAttribute.Weight) ?? 0)),
            UpperThreshold = d.U32((ushort)DestinationAttribute.UpperThreshold) ?? 0,
            LowerThreshold = d.U32((ushort)DestinationAttribute.LowerThreshold) ?? 0,
            TunnelType = (TunnelType)(d.U8((ushort)DestinationAttribute.TunnelType) ?? 0),
            TunnelPort = d.Be16((ushort)DestinationAttribute.TunnelPort) ?? 0,
            TunnelFlags = (TunnelFlags)(d.U16((ushort)DestinationAttribute.TunnelFlags) ?? 0),
        };
        return new RealServer(service, settings)
        {
            ActiveConnections = (int)(d.U32((ushort)DestinationAttribute.ActiveConnections) ?? 0),
            InactiveConnections = (int)(d.U32((ushort)DestinationAttribute.InactiveConnections) ?? 0),
            PersistentConnections = (int)(d.U32((ushort)DestinationAttribute.PersistentConnections) ?? 0),
            Stats = ReadStats(d, (ushort)DestinationAttribute.Stats64, (ushort)DestinationAttribute.Stats),
        };
    }

    /// <summary>64-bit stats when the kernel sends them (Linux 4.1+), else the 32-bit ones.</summary>
    public static LvsStats ReadStats(AttributeSet parent, ushort stats64, ushort stats32)
    {
        var s = parent.Nested(stats64) ?? parent.Nested(stats32);
        if (s is null) return LvsStats.Zero;
        return new LvsStats
        {
            Connections = s.Counter((ushort)StatsAttribute.Connections) ?? 0,
            PacketsIn = s.Counter((ushort)StatsAttribute.InPackets) ?? 0,
            PacketsOut = s.Counter((ushort)StatsAttribute.OutPackets) ?? 0,
            BytesIn = s.Counter((ushort)StatsAttribute.InBytes) ?? 0,
            BytesOut = s.Counter((ushort)StatsAttribute.OutBytes) ?? 0,
            ConnectionsPerSecond = s.Counter((ushort)StatsAttribute.ConnectionRate) ?? 0,
            PacketsInPerSecond = s.Counter((ushort)StatsAttribute.InPacketRate) ?? 0,
            PacketsOutPerSecond = s.Counter((ushort)StatsAttribute.OutPacketRate) ?? 0,
            BytesInPerSecond = s.Counter((ushort)StatsAttribute.InByteRate) ?? 0,
            BytesOutPerSecond = s.Counter((ushort)StatsAttribute.OutByteRate) ?? 0,
        };
    }

    /// <summary>Decodes one sync daemon (IPVS_CMD_ATTR_DAEMON of a GET_DAEMON reply).</summary>
    public static SyncDaemon ReadDaemon(AttributeSet d)
    {
        IPAddress? group = d.Raw((ushort)DaemonAttribute.MulticastGroup6) is { Length: 16 } g6 ? new IPAddress(g6.Span)
            : d.Raw((ushort)DaemonAttribute.MulticastGroup) is { Length: 4 } g4 ? new IPAddress(g4.Span) : null;
        return new SyncDaemon
        {
            Role = (SyncDaemonRole)(d.U32((ushort)DaemonAttribute.State) ?? throw Missing("sync daemon state")),
            Interface = d.String((ushort)DaemonAttribute.InterfaceName) ?? string.Empty,
            SyncId = (byte)(d.U32((ushort)DaemonAttribute.SyncId) ?? 0),
            MaxLength = d.U16((ushort)DaemonAttribute.SyncMaxLength) ?? 0,
            GroupAddress = group,
            Port = d.U16((ushort)DaemonAttribute.MulticastPort) ?? 0,
            Ttl = d.U8((ushort)DaemonAttribute.MulticastTtl) ?? 0,
        };
    }

    /// <summary>"1.2.1" from IPVS_INFO_ATTR_VERSION (IP_VS_VERSION_CODE: major &lt;&lt; 16 | minor &lt;&lt; 8 | patch).</summary>
    public static string VersionText(uint code) => $"{(code >> 16) & 0xff}.{(code >> 8) & 0xff}.{code & 0xff}";

    private static InvalidDataException Missing(string what) => new($"The kernel's reply has no {what}.");
}
