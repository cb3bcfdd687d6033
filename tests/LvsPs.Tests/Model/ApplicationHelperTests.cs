using LvsPs.Model;

namespace LvsPs.Tests.Model;

public class ApplicationHelperTests
{
    [Theory]
    [InlineData("tcp/10.0.0.1:21", ApplicationHelper.Ftp)]
    [InlineData("tcp/[2001:db8::1]:21", ApplicationHelper.Ftp)]
    [InlineData("tcp/10.0.0.1:2121", ApplicationHelper.None)]
    [InlineData("udp/10.0.0.1:21", ApplicationHelper.None)]
    [InlineData("fwm/21", ApplicationHelper.None)]
    public void Ftp_is_the_default_on_tcp_port_21_as_ip_vs_ftp_ports(string id, ApplicationHelper expected) =>
        Assert.Equal(expected, ApplicationHelpers.DefaultFor(VirtualServiceId.Parse(id)));

    [Theory]
    [InlineData("udp/10.0.0.1:21")]
    [InlineData("sctp/10.0.0.1:21")]
    [InlineData("fwm/1")]
    public void Ftp_helper_is_only_for_tcp_services(string id)
    {
        var settings = new VirtualServiceSettings { Id = VirtualServiceId.Parse(id), Helper = ApplicationHelper.Ftp, PersistenceTimeout = 300 };
        var e = Assert.Throws<LvsException>(() => settings.Validate());
        Assert.Equal("HelperNeedsTcp", e.ErrorId);
    }

    [Fact]
    public void Unknown_helper_is_refused()
    {
        var e = Assert.Throws<LvsException>(() => new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/10.0.0.1:21"), Helper = (ApplicationHelper)7 }.Validate());
        Assert.Equal("InvalidHelper", e.ErrorId);
    }
}
