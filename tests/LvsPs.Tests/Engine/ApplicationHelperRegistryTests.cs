using LvsPs.Engine.Ftp;
using LvsPs.Engine.Helpers;
using LvsPs.Model;

namespace LvsPs.Tests.Engine;

/// <summary>Helpers are found by the setting that names them; the TCP forwarder knows none by type.</summary>
public sealed class ApplicationHelperRegistryTests
{
    [Fact]
    public void The_standard_registry_has_the_ftp_helper_and_refuses_a_second_one()
    {
        var registry = ApplicationHelperRegistry.Standard();
        var e = Assert.Throws<InvalidOperationException>(() => registry.Register(new FtpHelper()));
        Assert.Contains("'Ftp'", e.Message);
        Assert.Equal(ApplicationHelper.Ftp, new FtpHelper().Kind);
    }
}
