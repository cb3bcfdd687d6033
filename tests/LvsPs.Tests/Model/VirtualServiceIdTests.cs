using System.Net;
using System.Net.Sockets;
using LvsPs.Model;

namespace LvsPs.Tests.Model;

public class VirtualServiceIdTests
{
    [Theory]
    [InlineData("tcp/192.168.0.1:80", LvsProtocol.Tcp, "192.168.0.1", 80)]
    [InlineData("udp/[2001:db8::1]:53", LvsProtocol.Udp, "2001:db8::1", 53)]
    [InlineData("SCTP/10.0.0.1:9", LvsProtocol.Sctp, "10.0.0.1", 9)]
    public void Parses_address_services(string text, LvsProtocol protocol, string address, int port)
    {
        var id = VirtualServiceId.Parse(text);
        Assert.Equal(protocol, id.Protocol);
        Assert.Equal(IPAddress.Parse(address), id.Address);
        Assert.Equal(port, id.Port);
        Assert.Equal(text.ToLowerInvariant(), id.ToString());
    }

    [Fact]
    public void Parses_firewall_mark_services_with_family()
    {
        Assert.Equal(7u, VirtualServiceId.Parse("fwm/7").FirewallMark);
        Assert.Equal(AddressFamily.InterNetwork, VirtualServiceId.Parse("fwm/7").AddressFamily);
        Assert.Equal(AddressFamily.InterNetworkV6, VirtualServiceId.Parse("fwm6/4294967295").AddressFamily);
        Assert.Equal("fwm6/4294967295", VirtualServiceId.Parse("fwm6/4294967295").ToString());
    }

    [Theory]
    [InlineData("192.168.0.1:80", "no protocol prefix")]
    [InlineData("icmp/1.2.3.4:1", "unknown protocol 'icmp'")]
    [InlineData("tcp/1.2.3:80", "not a dotted-quad")]
    [InlineData("tcp/1.2.3.4:70000", "port '70000' is not valid; allowed: 0..65535")]
    [InlineData("tcp/1.2.3.4", "has no port")]
    [InlineData("tcp/2001:db8::1:80", "has no port")]
    [InlineData("fwm/0", "allowed: 1..4294967295")]
    [InlineData("tcp/0.0.0.0:80", "not a unicast")]
    public void Refuses_bad_text_naming_the_value(string text, string fragment)
    {
        var e = Assert.Throws<LvsException>(() => VirtualServiceId.Parse(text));
        Assert.Equal("InvalidVirtualService", e.ErrorId);
        Assert.Equal(LvsErrorKind.InvalidArgument, e.Kind);
        Assert.Contains(fragment, e.Message);
        Assert.Contains(text.Trim(), e.Message);
    }

    [Fact]
    public void Equality_is_by_value()
    {
        Assert.Equal(VirtualServiceId.Parse("tcp/10.0.0.1:80"), VirtualServiceId.ForAddress(LvsProtocol.Tcp, IPAddress.Parse("10.0.0.1"), 80));
        Assert.NotEqual(VirtualServiceId.Parse("tcp/10.0.0.1:80"), VirtualServiceId.Parse("udp/10.0.0.1:80"));
        Assert.NotEqual(VirtualServiceId.Parse("fwm/1"), VirtualServiceId.Parse("fwm6/1"));
    }

    [Fact]
    public void Orders_like_ipvsadm()
    {
        var ids = new[] { "fwm/2", "udp/10.0.0.1:53", "tcp/10.0.0.2:80", "tcp/10.0.0.1:443", "tcp/10.0.0.1:80", "tcp/[::1]:80" }
            .Select(VirtualServiceId.Parse).OrderBy(x => x, VirtualServiceOrder.Instance).Select(x => x.ToString());
        Assert.Equal(new[] { "tcp/10.0.0.1:80", "tcp/10.0.0.1:443", "tcp/10.0.0.2:80", "udp/10.0.0.1:53", "tcp/[::1]:80", "fwm/2" }, ids);
    }
}
