using LvsPs.Model;

namespace LvsPs.Tests.Model;

public class IpvsadmRulesTests
{
    // what ipvsadm 1.31 -S -n printed in the test kernel for these rules (tests/LvsPs.KernelTests checks it byte for byte)
    private const string Saved =
        "-A -f -1 -6 -s rr -p 360\n" +
        "-A -t 10.0.0.1:80 -s rr\n" +
        "-a -t 10.0.0.1:80 -r 10.0.1.2:80 -g -w 0\n" +
        "-a -t 10.0.0.1:80 -r 10.0.1.3:80 -m -w 3\n" +
        "-a -t 10.0.0.1:80 -r 10.0.1.4:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum\n" +
        "-a -t 10.0.0.1:80 -r 10.0.1.5:80 -i -w 1 --tun-type gre --tun-csum\n" +
        "-a -t 10.0.0.1:80 -r 10.0.1.6:80 -i -w 1 --tun-type gue --tun-port 5000 --tun-remcsum\n" +
        "-a -t 10.0.0.1:80 -r 10.0.1.7:80 -i -w 2 --tun-type ipip\n" +
        "-A -t 10.0.0.2:0 -s wlc -p 600 -M 255.255.255.0 --pe sip\n" +
        "-A -u 10.0.0.1:53 -s sh -o -b sh-fallback,sh-port\n" +
        "-A -u 10.0.0.2:5060 -s wlc -p 60 --pe sip\n" +
        "-A --sctp-service 10.0.0.3:9 -s mh -b mh-port\n" +
        "-A -t [2001:db8::1]:443 -s lc -p 100 -M 64\n" +
        "-a -t [2001:db8::1]:443 -r [2001:db8::10]:443 -m -w 1\n" +
        "-A -f 7 -s rr\n" +
        "-A -f 8 -s rr -b flag-3\n";

    [Fact]
    public void Parse_then_format_gives_ipvsadm_text_back()
    {
        var changes = IpvsadmRules.Parse(Saved);
        Assert.Equal(16, changes.Count);
        var services = changes.OfType<DirectorChange.AddService>().Select(s => new VirtualService(
            s.Settings,
            changes.OfType<DirectorChange.AddRealServer>().Where(r => r.Service == s.Settings.Id).Select(r => new RealServer(r.Service, r.Settings)).Reverse().ToList(),
            LvsStats.Zero)).Reverse().ToList();
        Assert.Equal(Saved, IpvsadmRules.Format(services));
    }

    [Fact]
    public void Long_options_comments_and_defaults_are_read()
    {
        var c = IpvsadmRules.Parse("# saved\n\n--add-service --tcp-service 10.0.0.1:80 --persistent\n--add-server --tcp-service 10.0.0.1:80 --real-server 10.0.0.2 --weight 4 -x 10 -y 2\n");
        var s = Assert.IsType<DirectorChange.AddService>(c[0]).Settings;
        Assert.Equal(("wlc", 360u), (s.Scheduler, s.PersistenceTimeout));
        var r = Assert.IsType<DirectorChange.AddRealServer>(c[1]).Settings;
        Assert.Equal((ForwardingMethod.DirectRoute, 4, (ushort)80, 10u, 2u), (r.Forwarding, r.Weight, r.Id.Port, r.UpperThreshold, r.LowerThreshold));
    }

    [Fact]
    public void A_bad_line_names_its_number()
    {
        var e = Assert.Throws<LvsException>(() => IpvsadmRules.Parse("-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:80 --bogus\n"));
        Assert.Equal("InvalidIpvsadmRule", e.ErrorId);
        Assert.Contains("Line 2", e.Message);
    }

    [Fact]
    public void An_ipip_tunnel_server_is_written_with_its_tunnel_type_as_ipvsadm_1_31_writes_it()
    {
        var id = VirtualServiceId.Parse("tcp/10.0.0.1:80");
        var rs = new RealServerSettings { Id = RealServerId.Create(System.Net.IPAddress.Parse("10.0.1.9"), 80), Forwarding = ForwardingMethod.Tunnel, Weight = 4 };
        var text = IpvsadmRules.Format(new[] { new VirtualService(new VirtualServiceSettings { Id = id, Scheduler = "rr" }, new[] { new RealServer(id, rs) }, LvsStats.Zero) });
        Assert.Equal("-A -t 10.0.0.1:80 -s rr\n-a -t 10.0.0.1:80 -r 10.0.1.9:80 -i -w 4 --tun-type ipip\n", text);
        var back = Assert.IsType<DirectorChange.AddRealServer>(IpvsadmRules.Parse(text)[1]).Settings;
        Assert.Equal(rs, back);
    }
}
