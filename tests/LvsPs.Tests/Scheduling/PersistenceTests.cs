using System.Net;
using LvsPs.Model;
using LvsPs.Scheduling;
using LvsPs.Scheduling.Persistence;
using static LvsPs.Tests.Scheduling.SchedulerTestKit;

namespace LvsPs.Tests.Scheduling;

/// <summary>
/// Persistence as ip_vs_core.c ip_vs_sched_persist and ip_vs_conn.c do it, with no socket: templates keyed by
/// &lt;protocol, client &amp; netmask, vaddr, vport&gt; (port 0 for FTP / port-zero, IPPROTO_IP + mark for fwmark), a timer of
/// the persistence timeout restarted at each use, put off by 60 s while connections are controlled, counted in
/// the destination's persistent connections. Clock in seconds.
/// </summary>
public class PersistenceTests
{
    private static (ServiceScheduler Scheduler, DestinationSet Set) Persistent(string service = "tcp/192.168.0.1:80", uint timeout = 300, uint netmask = uint.MaxValue, string scheduler = "rr", bool onePacket = false)
    {
        var clock = new ManualClock();
        var settings = new VirtualServiceSettings { Id = VirtualServiceId.Parse(service), Scheduler = scheduler, PersistenceTimeout = timeout, Netmask = netmask, OnePacket = onePacket };
        var set = Set(scheduler, settings.Flags, new() { Clock = clock }, Rs("10.0.0.1"), Rs("10.0.0.2")); // list 2, 1
        return (new ServiceScheduler(set, settings), set);
    }

    private static string Octet(SchedulingDecision d) => d.Destination?.Id.Address.GetAddressBytes()[3].ToString() ?? "-";

    [Fact]
    public void A_client_returns_to_its_server_across_connections_and_ports()
    {
        var (s, set) = Persistent();
        Assert.Equal("2", Octet(s.Schedule(Req("1.1.1.1", 1000, time: 0))));
        Assert.Equal("2", Octet(s.Schedule(Req("1.1.1.1", 1001, time: 1)))); // another client port: same template
        Assert.Equal("1", Octet(s.Schedule(Req("1.1.1.2", 1000, time: 2)))); // another client: rr moves on
        Assert.Equal(1, D(set, "10.0.0.2").PersistentConnections);
        Assert.Equal(1, D(set, "10.0.0.1").PersistentConnections);
        Assert.Equal(2, s.Templates.Single(t => t.Destination == D(set, "10.0.0.2")).ControlledConnections);
    }

    [Fact]
    public void The_netmask_groups_clients_and_ipv6_uses_a_prefix()
    {
        var (s, _) = Persistent(netmask: 0xFFFFFF00);
        Assert.Equal("2", Octet(s.Schedule(Req("1.1.1.1"))));
        Assert.Equal("2", Octet(s.Schedule(Req("1.1.1.200")))); // same /24
        Assert.Equal("1", Octet(s.Schedule(Req("1.1.2.1"))));

        var (s6, _) = Persistent("tcp/[2001:db8::1]:80", netmask: 64);
        Assert.Equal("2", Octet(s6.Schedule(Req("2001:db8:0:1::5", destination: "2001:db8::1"))));
        Assert.Equal("2", Octet(s6.Schedule(Req("2001:db8:0:1::9", destination: "2001:db8::1")))); // same /64
        Assert.Equal("1", Octet(s6.Schedule(Req("2001:db8:0:2::5", destination: "2001:db8::1"))));
    }

    [Fact]
    public void A_template_expires_a_timeout_after_its_last_use_once_it_controls_nothing()
    {
        var (s, set) = Persistent(timeout: 300);
        var first = s.Schedule(Req("1.1.1.1", time: 0));
        s.Release(first.Template!); // the connection ended
        Assert.Equal("2", Octet(s.Schedule(Req("1.1.1.1", time: 299)))); // used again: expires at 599
        s.Release(first.Template!); // and that connection ended too
        s.Expire(598);
        Assert.Single(s.Templates);
        s.Expire(599);
        Assert.Empty(s.Templates);
        Assert.Equal(0, D(set, "10.0.0.2").PersistentConnections);
        Assert.Equal("1", Octet(s.Schedule(Req("1.1.1.1", time: 600)))); // scheduled afresh: rr's next
    }

    [Fact]
    public void A_template_with_live_connections_is_put_off_by_60_seconds()
    {
        var (s, _) = Persistent(timeout: 300);
        var d = s.Schedule(Req("1.1.1.1", time: 0)); // timer at 300, one controlled connection
        s.Expire(300);
        Assert.Equal(360, d.Template!.ExpiresAt); // expire_later: timeout becomes 60 s
        s.Release(d.Template);
        s.Expire(360);
        Assert.Empty(s.Templates);
    }

    [Fact]
    public void A_removed_destination_invalidates_the_template_but_weight_zero_does_not_by_default()
    {
        var (s, set) = Persistent();
        Assert.Equal("2", Octet(s.Schedule(Req("1.1.1.1"))));
        set.Update(D(set, "10.0.0.2"), Rs("10.0.0.2", 0));
        Assert.Equal("2", Octet(s.Schedule(Req("1.1.1.1")))); // expire_quiescent_template is off: still 2
        set.Remove(D(set, "10.0.0.2"));
        Assert.Equal("1", Octet(s.Schedule(Req("1.1.1.1"))));
    }

    [Fact]
    public void Expire_quiescent_template_reschedules_clients_of_a_weight_zero_server()
    {
        var clock = new ManualClock();
        var settings = new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/192.168.0.1:80"), Scheduler = "rr", PersistenceTimeout = 300 };
        var set = Set("rr", settings.Flags, new() { Clock = clock, ExpireQuiescentTemplate = true }, Rs("10.0.0.1"), Rs("10.0.0.2"));
        var s = new ServiceScheduler(set, settings);
        Assert.Equal("2", Octet(s.Schedule(Req("1.1.1.1"))));
        set.Update(D(set, "10.0.0.2"), Rs("10.0.0.2", 0));
        Assert.Equal("1", Octet(s.Schedule(Req("1.1.1.1"))));
        Assert.Equal(1, D(set, "10.0.0.2").PersistentConnections); // the old template counts until its timer
    }

    [Fact]
    public void Firewall_mark_services_share_one_template_across_ports_and_protocols()
    {
        var key80 = PersistenceKey.For(new VirtualServiceSettings { Id = VirtualServiceId.Parse("fwm/7"), PersistenceTimeout = 60 }, Req("1.1.1.1", destination: "192.168.0.1"));
        var key443 = PersistenceKey.For(new VirtualServiceSettings { Id = VirtualServiceId.Parse("fwm/7"), PersistenceTimeout = 60 },
            new SchedulingRequest(LvsProtocol.Udp, NetAddress.FromIPAddress(IPAddress.Parse("1.1.1.1")), 5, NetAddress.FromIPAddress(IPAddress.Parse("192.168.0.2")), 443));
        Assert.Equal(key80, key443);
        Assert.Equal(LvsProtocol.None, key80.Protocol);
        Assert.Equal(7u, key80.VirtualAddress.Word0);
    }

    [Fact]
    public void Ftp_and_port_zero_services_key_without_the_virtual_port()
    {
        var ftp = new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/192.168.0.1:21"), PersistenceTimeout = 60 };
        var request = new SchedulingRequest(LvsProtocol.Tcp, NetAddress.FromIPv4(0x01010101), 5, NetAddress.FromIPv4(0xC0A80001), 21);
        Assert.Equal(0, PersistenceKey.For(ftp, request).VirtualPort);
        var zero = new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/192.168.0.1:0"), PersistenceTimeout = 60 };
        var toPort = new SchedulingRequest(LvsProtocol.Tcp, NetAddress.FromIPv4(0x01010101), 5, NetAddress.FromIPv4(0xC0A80001), 8080);
        Assert.Equal(0, PersistenceKey.For(zero, toPort).VirtualPort);
        var http = new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/192.168.0.1:80"), PersistenceTimeout = 60 };
        Assert.Equal(80, PersistenceKey.For(http, Req("1.1.1.1")).VirtualPort);
    }

    [Fact]
    public void One_packet_udp_does_not_hold_the_template_and_non_persistent_services_schedule_every_time()
    {
        var (s, _) = Persistent("udp/192.168.0.1:53", onePacket: true);
        var d = s.Schedule(Req("1.1.1.1", protocol: LvsProtocol.Udp));
        Assert.True(d.OnePacket);
        Assert.Equal(0, d.Template!.ControlledConnections);

        var set = Set("rr", Rs("10.0.0.1"), Rs("10.0.0.2"));
        var plain = new ServiceScheduler(set, new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/192.168.0.1:80"), Scheduler = "rr" });
        Assert.Equal("2,1", $"{Octet(plain.Schedule(Req("1.1.1.1")))},{Octet(plain.Schedule(Req("1.1.1.1")))}");
        Assert.Null(plain.Schedule(Req("1.1.1.1")).Template);
    }

    [Fact]
    public void A_clone_schedules_without_touching_the_original()
    {
        var (s, set) = Persistent();
        s.Schedule(Req("1.1.1.1"));
        var copy = s.Clone();
        Assert.Equal("2", Octet(copy.Schedule(Req("1.1.1.1")))); // the copied template
        Assert.Equal("1", Octet(copy.Schedule(Req("1.1.1.9"))));
        Assert.Single(s.Templates);
        Assert.Equal(0, D(set, "10.0.0.1").PersistentConnections);
        Assert.Equal("1", Octet(s.Schedule(Req("1.1.1.9")))); // the original rr cursor did not move
    }
}
