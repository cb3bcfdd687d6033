using System.Net;
using LvsPs.Model;
using LvsPs.Netlink.Ipvs;
using LvsPs.Netlink.Protocol;

namespace LvsPs.Tests.Netlink;

public class NetlinkCodecTests
{
    [Fact]
    public void Message_header_and_attributes_follow_the_uapi_layout()
    {
        var w = new MessageWriter();
        int m = w.BeginMessage(0x1c, NetlinkConstants.FlagRequest | NetlinkConstants.FlagAck, 7, (byte)IpvsCommand.NewService, 1);
        w.PutU16(1, 2);
        w.PutBe16(4, 80);
        w.PutString(6, "rr");
        w.EndMessage(m);
        byte[] expected =
        {
            44, 0, 0, 0, 0x1c, 0, 5, 0, 7, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: len 44, type, REQUEST|ACK, seq 7, pid 0
            1, 1, 0, 0, // genlmsghdr: cmd NEW_SERVICE, version 1
            6, 0, 1, 0, 2, 0, 0, 0, // u16 2, padded to 4
            6, 0, 4, 0, 0, 80, 0, 0, // be16 80
            7, 0, 6, 0, (byte)'r', (byte)'r', 0, 0, // "rr\0", padded
        };
        Assert.Equal(expected, w.Written.ToArray());
        var msg = Assert.Single(NetlinkMessage.Split(w.WrittenMemory));
        Assert.Equal((ushort)0x1c, msg.Type);
        Assert.Equal(7u, msg.Sequence);
        Assert.Equal((ushort)80, msg.Attributes.Be16(4));
        Assert.Equal("rr", msg.Attributes.String(6));
    }

    [Fact]
    public void Nested_attributes_carry_the_nested_bit_and_their_length()
    {
        var w = new MessageWriter();
        int n = w.BeginNested(1);
        w.PutU32(5, 0xDEADBEEF);
        w.EndNested(n);
        Assert.Equal(new byte[] { 12, 0, 1, 0x80, 8, 0, 5, 0, 0xEF, 0xBE, 0xAD, 0xDE }, w.Written.ToArray());
        var outer = AttributeSet.Parse(w.WrittenMemory);
        Assert.Equal(0xDEADBEEFu, outer.Nested(1)!.U32(5));
    }

    [Fact]
    public void Malformed_attributes_are_refused()
    {
        Assert.Throws<InvalidDataException>(() => AttributeSet.Parse(new byte[] { 40, 0, 1, 0, 0, 0, 0, 0 }));
        Assert.Throws<InvalidDataException>(() => NetlinkMessage.Split(new byte[] { 99, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
    }

    public static TheoryData<string> Services => new()
    {
        "tcp/10.0.0.1:80", "udp/[2001:db8::1]:53", "sctp/10.0.0.3:9", "fwm/4294967295", "fwm6/7",
    };

    [Theory]
    [MemberData(nameof(Services))]
    public void Services_encode_and_decode_to_the_same_settings(string id)
    {
        var vs = VirtualServiceId.Parse(id);
        bool v6 = vs.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        var settings = new VirtualServiceSettings
        {
            Id = vs,
            Scheduler = "sh",
            PersistenceTimeout = 600,
            Netmask = v6 ? 64u : 0xFFFFFF00u,
            SchedulerFlags = SchedulerFlags.Fallback | SchedulerFlags.Port,
            PersistenceEngine = "sip",
        };
        var w = new MessageWriter();
        IpvsCodec.WriteService(w, settings);
        var svc = AttributeSet.Parse(w.WrittenMemory).Nested((ushort)IpvsCommandAttribute.Service)!;
        // byte order as ip_vs_ctl.c reads it: the port and the IPv4 netmask are network order
        if (!vs.IsFirewallMark) Assert.Equal(vs.Port, svc.Be16((ushort)ServiceAttribute.Port));
        Assert.Equal(v6 ? 64u : 0xFFFFFF00u, v6 ? svc.U32((ushort)ServiceAttribute.Netmask) : svc.Be32((ushort)ServiceAttribute.Netmask));
        Assert.Equal(vs.FirewallMark == 0 ? null : vs.FirewallMark, svc.U32((ushort)ServiceAttribute.FirewallMark));
        Assert.Equal(settings, IpvsCodec.ReadService(svc).Settings);
    }

    [Fact]
    public void The_hashed_flag_the_kernel_adds_is_masked_out()
    {
        var w = new MessageWriter();
        w.PutU16((ushort)ServiceAttribute.AddressFamily, 2);
        w.PutU32((ushort)ServiceAttribute.FirewallMark, 3);
        w.PutString((ushort)ServiceAttribute.SchedulerName, "rr");
        w.PutBytes((ushort)ServiceAttribute.Flags, new byte[] { 0x02 | 0x04, 0, 0, 0, 0xff, 0xff, 0xff, 0xff });
        var s = IpvsCodec.ReadService(AttributeSet.Parse(w.WrittenMemory)).Settings;
        Assert.True(s.OnePacket);
        Assert.Equal(ServiceFlags.OnePacket, s.Flags);
    }

    [Fact]
    public void Destinations_keep_u32_weights_and_64_bit_stats_and_fall_back_to_32_bit()
    {
        var rs = new RealServerSettings
        {
            Id = new RealServerId(IPAddress.Parse("10.0.0.2"), 8080), Forwarding = ForwardingMethod.Tunnel, Weight = 65535,
            UpperThreshold = 100, LowerThreshold = 10, TunnelType = TunnelType.Gue, TunnelPort = 6080, TunnelFlags = TunnelFlags.RemoteChecksum,
        };
        var w = new MessageWriter();
        IpvsCodec.WriteDestination(w, rs);
        var d = AttributeSet.Parse(w.WrittenMemory).Nested((ushort)IpvsCommandAttribute.Destination)!;
        Assert.Equal(65535u, d.U32((ushort)DestinationAttribute.Weight));
        Assert.Equal((ushort)6080, d.Be16((ushort)DestinationAttribute.TunnelPort));

        var reply = new MessageWriter();
        foreach (var (type, size) in new[] { ((ushort)DestinationAttribute.Stats, 4), ((ushort)DestinationAttribute.Stats64, 8) })
        {
            int n = reply.BeginNested(type);
            if (size == 8) reply.PutBytes((ushort)StatsAttribute.Connections, BitConverter.GetBytes(5_000_000_000UL));
            else reply.PutU32((ushort)StatsAttribute.Connections, 705_032_704);
            reply.EndNested(n);
        }
        var both = AttributeSet.Parse(reply.WrittenMemory);
        Assert.Equal(5_000_000_000UL, IpvsCodec.ReadStats(both, (ushort)DestinationAttribute.Stats64, (ushort)DestinationAttribute.Stats).Connections);
        Assert.Equal(705_032_704UL, IpvsCodec.ReadStats(both, 99, (ushort)DestinationAttribute.Stats).Connections);

        var merged = new MessageWriter();
        IpvsCodec.WriteDestination(merged, rs);
        var decoded = IpvsCodec.ReadDestination(AttributeSet.Parse(merged.WrittenMemory).Nested((ushort)IpvsCommandAttribute.Destination)!, VirtualServiceId.Parse("tcp/10.0.0.1:80"));
        Assert.Equal(rs, decoded.Settings);
    }

    [Fact]
    public void Sync_daemon_attributes_round_trip()
    {
        var daemon = new SyncDaemon { Role = SyncDaemonRole.Backup, Interface = "eth1", SyncId = 9, MaxLength = 1400, GroupAddress = IPAddress.Parse("224.0.0.99"), Port = 9000, Ttl = 3 };
        var w = new MessageWriter();
        IpvsCodec.WriteDaemon(w, daemon);
        Assert.Equal(daemon, IpvsCodec.ReadDaemon(AttributeSet.Parse(w.WrittenMemory).Nested((ushort)IpvsCommandAttribute.Daemon)!));
        Assert.Equal("1.2.1", IpvsCodec.VersionText(0x010201));
    }

    [Fact]
    public void Proc_connection_table_is_parsed()
    {
        const string text =
            "Pro FromIP   FPrt ToIP     TPrt DestIP   DPrt State       Expires PEName PEData\n" +
            "TCP 0A000064 D2F4 0A000001 0050 0A000102 1F90 ESTABLISHED     899\n" +
            "UDP 2001:0db8:0000:0000:0000:0000:0000:0064 A000 2001:0db8:0000:0000:0000:0000:0000:0001 0035 2001:0db8:0000:0000:0000:0000:0000:0010 0035 UDP             299\n" +
            "TCP 0A000064 0000 0A000001 0050 0A000102 0050 NONE            359 sip abc\n" +
            // a template that controlled a completed connection, as kernel 6.1 lists it (seen in the qemu guest)
            "TCP 0A010034 0000 0A010002 1F90 0A02000B 0050 ASSURED         271\n";
        var c = ProcConnectionTable.Parse(text);
        Assert.Equal(4, c.Count);
        Assert.True(c[3].Template);
        Assert.False(c[3].Active);
        Assert.False(c[0].Template);
        Assert.Equal(("10.0.0.100", (ushort)54004, "10.0.1.2", (ushort)8080), (c[0].ClientAddress, c[0].ClientPort, c[0].DestinationAddress, c[0].DestinationPort));
        Assert.True(c[0].Active);
        Assert.Equal(899u, c[0].ExpiresSeconds);
        Assert.Equal("2001:db8::1", c[1].VirtualAddress);
        Assert.Equal(LvsProtocol.Udp, c[1].Protocol);
        Assert.True(c[2].Template);
    }
}
