using LvsPs.Model;

namespace LvsPs.Tests.Content;

/// <summary>Content rules in the model: validation (every entrance gets it) and the first-match routing.</summary>
public sealed class ContentRouterTests
{
    private static ContentRule Rule(ContentMatch match, string pattern, string group, string? name = null) =>
        new ContentRule { Match = match, Pattern = pattern, Group = group, Name = name }.Validate();

    private static readonly ContentRouter Router = new(
    [
        Rule(ContentMatch.Host, "api.example.com", "api"),
        Rule(ContentMatch.Host, "*.static.example.com", "static"),
        Rule(ContentMatch.PathPrefix, "/images/", "static"),
        Rule(ContentMatch.PathRegex, @"^/v[0-9]+/", "api"),
        Rule(ContentMatch.Header, "blue", "blue", "X-Tenant"),
        Rule(ContentMatch.Cookie, "canary", "canary", "track"),
        Rule(ContentMatch.Method, "POST", "writes"),
        Rule(ContentMatch.Sni, "*.tls.example", "tls"),
    ], "web");

    [Theory]
    [InlineData("api.example.com", "/", "GET", "api")]
    [InlineData("API.Example.COM", "/", "GET", "api")]
    [InlineData("a.static.example.com", "/", "GET", "static")]
    [InlineData("static.example.com", "/", "GET", "web")]      // a wildcard does not match the domain itself
    [InlineData("www.example.com", "/images/x.png", "GET", "static")]
    [InlineData("www.example.com", "/v2/users", "GET", "api")]
    [InlineData("www.example.com", "/vx/users", "POST", "writes")]
    [InlineData("www.example.com", "/", "GET", "web")]
    public void The_first_matching_rule_picks_the_group(string host, string path, string method, string group) =>
        Assert.Equal(group, Router.Route(new ContentRequest { Host = host, Path = path, Method = method }));

    [Fact]
    public void Headers_cookies_and_sni_route()
    {
        Assert.Equal("blue", Router.Route(new ContentRequest { Host = "x", Path = "/", Method = "GET", Headers = [new("x-tenant", "Blue")] }));
        Assert.Equal("canary", Router.Route(new ContentRequest { Host = "x", Path = "/", Method = "GET", Headers = [new("Cookie", "a=1; track=canary")] }));
        Assert.Equal("tls", Router.Route(new ContentRequest { Sni = "shop.tls.example" }));
        Assert.Equal("web", Router.Route(new ContentRequest { Sni = "other.example" }));
    }

    [Fact]
    public void A_regex_that_runs_out_of_time_is_no_match()
    {
        var router = new ContentRouter([Rule(ContentMatch.PathRegex, "^(a+)+$", "slow")], null);
        var path = "/" + new string('a', 40) + "!";
        Assert.Null(router.Route(new ContentRequest { Path = path.TrimStart('/') }));
        Assert.Equal(1, router.RegexTimeouts);
    }

    [Theory]
    [InlineData(ContentMatch.Host, "bad host!", null)]
    [InlineData(ContentMatch.Host, "*.", null)]
    [InlineData(ContentMatch.PathPrefix, "images", null)]
    [InlineData(ContentMatch.PathRegex, "(unclosed", null)]
    [InlineData(ContentMatch.Header, "x", null)]
    [InlineData(ContentMatch.Header, "x", "bad name")]
    [InlineData(ContentMatch.Method, "GE T", null)]
    [InlineData(ContentMatch.Host, "a.example", "X-Not-Allowed")]
    public void Bad_rules_are_refused_with_the_value_named(ContentMatch match, string pattern, string? name)
    {
        var e = Assert.Throws<LvsException>(() => Rule(match, pattern, "g", name));
        Assert.Equal(LvsErrorKind.InvalidArgument, e.Kind);
    }

    [Fact]
    public void Rules_and_groups_are_tcp_only_and_need_valid_group_names()
    {
        Assert.Throws<LvsException>(() => Rule(ContentMatch.Host, "a.example", "no spaces"));
        var udp = new VirtualServiceSettings { Id = VirtualServiceId.Parse("udp/127.0.0.1:53"), ContentRules = [Rule(ContentMatch.Host, "a.example", "g")] };
        Assert.Equal("ConnectionFeaturesNeedTcp", Assert.Throws<LvsException>(() => udp.Validate()).ErrorId);
        var proxyUdp = new VirtualServiceSettings { Id = VirtualServiceId.Parse("udp/127.0.0.1:53"), SendProxy = ProxyProtocol.V2 };
        Assert.Throws<LvsException>(() => proxyUdp.Validate());
        var ftp = new VirtualServiceSettings { Id = VirtualServiceId.Parse("tcp/127.0.0.1:21"), Helper = ApplicationHelper.Ftp, ContentRules = [Rule(ContentMatch.Host, "a.example", "g")] };
        Assert.Equal("ContentRulesWithHelper", Assert.Throws<LvsException>(() => ftp.Validate()).ErrorId);
        Assert.Throws<LvsException>(() => new RealServerSettings { Id = RealServerId.Create(System.Net.IPAddress.Loopback, 80), Group = "" }.Validate());
    }

    [Fact]
    public void Settings_with_rules_travel_over_the_control_socket_and_into_the_state_file_unchanged()
    {
        var settings = new VirtualServiceSettings
        {
            Id = VirtualServiceId.Parse("tcp/127.0.0.1:80"),
            SendProxy = ProxyProtocol.V2,
            AcceptProxy = true,
            Transparent = true,
            ContentRules = [Rule(ContentMatch.Host, "*.example.com", "web"), Rule(ContentMatch.Cookie, "b", "beta", "track")],
            DefaultGroup = "web",
        }.Validate();
        var json = System.Text.Json.JsonSerializer.Serialize(settings, LvsPs.Remote.ProtocolJson.Options);
        var back = System.Text.Json.JsonSerializer.Deserialize<VirtualServiceSettings>(json, LvsPs.Remote.ProtocolJson.Options)!;
        Assert.Equal(settings.ContentRules, back.ContentRules);
        Assert.Equal((settings.SendProxy, settings.AcceptProxy, settings.Transparent, settings.DefaultGroup), (back.SendProxy, back.AcceptProxy, back.Transparent, back.DefaultGroup));
        var rs = new RealServerSettings { Id = RealServerId.Create(System.Net.IPAddress.Loopback, 8080), Group = "web", SendProxy = ProxyProtocol.None };
        var rsBack = System.Text.Json.JsonSerializer.Deserialize<RealServerSettings>(System.Text.Json.JsonSerializer.Serialize(rs, LvsPs.Remote.ProtocolJson.Options), LvsPs.Remote.ProtocolJson.Options)!;
        Assert.Equal(rs, rsBack);
    }

    [Fact]
    public void The_kernel_backend_refuses_what_only_the_managed_engine_can_do()
    {
        var id = VirtualServiceId.Parse("tcp/127.0.0.1:80");
        ConnectionFeatures.RequireManaged(new VirtualServiceSettings { Id = id }); // plain: fine
        var e = Assert.Throws<LvsException>(() => ConnectionFeatures.RequireManaged(new VirtualServiceSettings { Id = id, Transparent = true }));
        Assert.Equal("ConnectionFeaturesNeedManaged", e.ErrorId);
        Assert.Throws<LvsException>(() => ConnectionFeatures.RequireManaged(new RealServerSettings { Id = RealServerId.Create(System.Net.IPAddress.Loopback, 80), Group = "g" }));
    }
}
