using System.Net;
using LvsPs.Engine;
using LvsPs.Health;
using LvsPs.Model;
using LvsPs.Model.Health;

namespace LvsPs.Tests.Model;

/// <summary>
/// Values the model refuses whatever the entrance (cmdlet, control socket, DSC, document): each check lives in the
/// settings' Validate (or the health monitor's), so a backend called directly refuses them too.
/// </summary>
public sealed class ModelValidationTests
{
    private static readonly VirtualServiceId Tcp80 = VirtualServiceId.Parse("tcp/127.0.0.1:80");

    private static LvsException Refused(Action action) => Assert.Throws<LvsException>(action);

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    public void A_real_server_at_an_unspecified_or_non_unicast_address_is_refused(string address)
    {
        // the identity made as a deserializer makes it (the control socket, a state file), without RealServerId.Create's check
        var e = Refused(() => new RealServerSettings { Id = new RealServerId(IPAddress.Parse(address), 80) }.Validate());
        Assert.Equal("InvalidAddress", e.ErrorId);
        Assert.Contains($"'{address}'", e.Message);
    }

    [Fact]
    public void A_backend_called_directly_refuses_an_unspecified_real_server_address()
    {
        using var director = new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false });
        var id = VirtualServiceId.Parse($"tcp/{LvsPs.TestBackends.TestAddresses.NewEndPoint()}");
        director.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        Assert.Equal("InvalidAddress", Refused(() => director.AddRealServer(id, new RealServerSettings { Id = new RealServerId(IPAddress.Any, 8080) })).ErrorId);
        Assert.Empty(director.GetService(id)!.RealServers);
    }

    [Theory]
    [InlineData("nosuchpe")]
    [InlineData("SIP ")]
    [InlineData("ftp")]
    public void An_unknown_persistence_engine_is_refused(string engine)
    {
        var e = Refused(() => new VirtualServiceSettings { Id = Tcp80, PersistenceTimeout = 60, PersistenceEngine = engine }.Validate());
        Assert.Equal("UnknownPersistenceEngine", e.ErrorId);
        Assert.Contains("sip", e.Message);
        new VirtualServiceSettings { Id = Tcp80, PersistenceTimeout = 60, PersistenceEngine = "sip" }.Validate();
    }

    [Theory]
    [InlineData("/health\r\nHost: evil")]
    [InlineData("/a\nb")]
    [InlineData("/a\u0000")]
    [InlineData("/a b")]
    [InlineData("/a\u007f")]
    public void A_health_check_path_with_control_characters_or_spaces_is_refused(string path)
    {
        var e = Refused(() => new HealthCheckSettings { Type = HealthCheckType.Http, Path = path }.Validate());
        Assert.Equal("InvalidHealthPath", e.ErrorId);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\r', e.Message);
        new HealthCheckSettings { Type = HealthCheckType.Http, Path = "/health?x=1&y=%20" }.Validate();
    }

    [Theory]
    [InlineData("127.0.0.1", 0, "InvalidSorryServer")]
    [InlineData("::1", 8080, "SorryServerFamilyMismatch")]
    [InlineData("0.0.0.0", 8080, "InvalidAddress")]
    public void A_sorry_server_with_port_0_or_the_wrong_family_is_refused(string address, int port, string errorId)
    {
        var sorry = new RealServerSettings { Id = new RealServerId(IPAddress.Parse(address), (ushort)port) };
        Assert.Equal(errorId, Refused(() => HealthCheckSettings.ValidateSorryServer(Tcp80, sorry)).ErrorId);

        using var monitor = new HealthMonitor(new ManagedDirector(new ManagedDirectorOptions { RunEstimator = false }), time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider());
        var id = VirtualServiceId.Parse($"tcp/{LvsPs.TestBackends.TestAddresses.NewEndPoint()}");
        monitor.AddService(new VirtualServiceSettings { Id = id, Scheduler = "rr" });
        Assert.Equal(errorId, Refused(() => monitor.SetHealthCheck(id, new HealthCheckSettings { IntervalSeconds = 3600 }, sorry)).ErrorId);
        Assert.Null(monitor.GetHealthCheck(id).Check);
    }

    [Fact]
    public void A_huge_value_gives_a_short_message_that_still_names_it()
    {
        var huge = "/" + new string('x', 10 << 20);
        var e = Refused(() => new HealthCheckSettings { Path = huge + "\n" }.Validate());
        Assert.True(e.Message.Length < 400, $"message of {e.Message.Length} characters");
        Assert.Contains("/xxxx", e.Message);
        Assert.Contains($"{huge.Length + 1} characters", e.Message);
        var target = Assert.IsType<string>(e.TargetObject);
        Assert.True(target.Length < 200);

        e = Refused(() => new VirtualServiceSettings { Id = Tcp80, Scheduler = new string('s', 10 << 20) }.Validate());
        Assert.True(e.Message.Length < 400, $"message of {e.Message.Length} characters");
        e = Refused(() => new VirtualServiceSettings { Id = Tcp80, PersistenceTimeout = 1, PersistenceEngine = new string('p', 10 << 20) }.Validate());
        Assert.True(e.Message.Length < 400, $"message of {e.Message.Length} characters");
        e = Refused(() => new HealthCheckSettings { BodyMatch = "(" + new string('b', 10 << 20) }.Validate());
        Assert.True(e.Message.Length < 600, $"message of {e.Message.Length} characters");
    }

    [Fact]
    public void Every_message_is_bounded_even_when_a_caller_forgets_to_cut()
    {
        var e = new LvsException(LvsErrorKind.InvalidArgument, "X", "value " + new string('v', 1 << 20), new string('v', 1 << 20));
        Assert.True(e.Message.Length <= LvsException.MaxMessageLength + 60);
        Assert.True(((string)e.TargetObject!).Length < 200);
    }

    [Fact]
    public void Cut_keeps_short_values_and_makes_control_characters_visible()
    {
        Assert.Equal("abc", ValueText.Cut("abc"));
        Assert.Equal("a\\r\\nb\\t\\u0000", ValueText.Cut("a\r\nb\t\0"));
        var cut = ValueText.Cut(new string('z', 1000));
        Assert.StartsWith(new string('z', ValueText.MaxShown), cut);
        Assert.EndsWith("(1000 characters)", cut);
    }
}
