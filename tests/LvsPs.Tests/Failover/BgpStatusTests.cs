using System.Net;
using LvsPs.DirectorService.Failover;
using LvsPs.Model;
using LvsPs.Model.Failover;

namespace LvsPs.Tests.Failover;

/// <summary>
/// What Get-LvsBgp shows and Set-LvsBgp reads: the neighbors' and nodes' text forms (written, read back, refused with
/// the value named), and the session states read from `birdc show protocols` as BIRD 2.0.12 prints them.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BgpStatusTests
{
    [Theory]
    [InlineData("10.0.0.1 as 65000", "10.0.0.1", 65000u)]
    [InlineData("  2001:db8::1   AS 4200000000 ", "2001:db8::1", 4200000000u)]
    public void A_neighbor_reads_from_its_text(string text, string address, uint asn)
    {
        var n = BgpNeighbor.Parse(text);
        Assert.Equal(IPAddress.Parse(address), n.Address);
        Assert.Equal(asn, n.As);
        Assert.Equal(n, BgpNeighbor.Parse(n.ToString()));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.1 as")]
    [InlineData("10 as 65000")]
    [InlineData("10.0.0.1 with 65000")]
    [InlineData("10.0.0.1 as -1")]
    [InlineData("10.0.0.1 as 4294967296")]
    [InlineData("fe80::1%eth0 as 65000")]
    [InlineData("")]
    public void A_bad_neighbor_is_refused_naming_the_value_and_what_is_allowed(string text)
    {
        var e = Assert.Throws<LvsException>(() => BgpNeighbor.Parse(text));
        Assert.Equal("InvalidBgpNeighbor", e.ErrorId);
        Assert.Contains($"'{text}'", e.Message);
        Assert.Contains("allowed: 'ADDRESS as AS'", e.Message);
    }

    [Fact]
    public void A_long_bad_value_is_cut_in_the_message()
    {
        var e = Assert.Throws<LvsException>(() => BgpNode.Parse(new string('x', 5000)));
        Assert.Equal("InvalidBgpNode", e.ErrorId);
        Assert.True(e.Message.Length < 400, e.Message);
    }

    [Theory]
    [InlineData("lb1 10.0.0.11", "lb1", "10.0.0.11", 0u)]
    [InlineData("lb2 10.0.0.12 as 65002", "lb2", "10.0.0.12", 65002u)]
    public void A_node_reads_from_its_text_and_writes_it_back(string text, string name, string routerId, uint asn)
    {
        var n = BgpNode.Parse(text);
        Assert.Equal(new BgpNode { Name = name, RouterId = IPAddress.Parse(routerId), As = asn }, n);
        Assert.Equal(text, n.ToString());
    }

    [Theory]
    [InlineData("lb1")]
    [InlineData("lb1 10.0.0.11 65002")]
    [InlineData("lb1 10.0.0.11 as x")]
    [InlineData("lb1 router as 65002")]
    public void A_bad_node_is_refused(string text)
    {
        var e = Assert.Throws<LvsException>(() => BgpNode.Parse(text));
        Assert.Equal("InvalidBgpNode", e.ErrorId);
        Assert.Contains("allowed: 'NAME ROUTERID' or 'NAME ROUTERID as AS'", e.Message);
    }

    [Fact]
    public void The_status_carries_the_settings_as_text_that_reads_back_to_the_same_settings()
    {
        var settings = new BgpSettings
        {
            As = 65001,
            Neighbors = new[] { new BgpNeighbor { Address = IPAddress.Parse("10.0.0.1"), As = 65000 }, new BgpNeighbor { Address = IPAddress.Parse("2001:db8::1"), As = 65000 } },
            Nodes = new[] { new BgpNode { Name = "lb1", RouterId = IPAddress.Parse("10.0.0.11") }, new BgpNode { Name = "lb2", RouterId = IPAddress.Parse("10.0.0.12"), As = 65002 } },
        }.Validate();
        var status = BgpStatus.Of(settings);
        Assert.Equal(65001, status.As);
        Assert.Equal("10.0.0.1 as 65000, 2001:db8::1 as 65000", status.Neighbors.ToString());
        Assert.Equal("lb1 10.0.0.11, lb2 10.0.0.12 as 65002", status.Nodes.ToString());
        var back = settings with { Neighbors = status.Neighbors.Select(BgpNeighbor.Parse).ToList(), Nodes = status.Nodes.Select(BgpNode.Parse).ToList() };
        Assert.Empty(settings.Differences(back));
    }

    [Fact]
    public void Session_states_are_read_from_birdc_show_protocols()
    {
        var found = BirdProtocols.Parse(Fuzz.BirdProtocolsFuzzTests.Seeds[0] + Fuzz.BirdProtocolsFuzzTests.Seeds[1]);
        Assert.Equal(new[] { "lvsps_peer1", "lvsps_peer1", "lvsps_peer2" }, found.Select(p => p.Name));
        Assert.Equal(BgpSessionState.Established, found[0].State);
        Assert.Null(found[0].Info);
        Assert.Equal(new DateTimeOffset(new DateTime(2026, 11, 28, 14, 42, 55, DateTimeKind.Local)), found[0].Since);
        Assert.Equal(BgpSessionState.Active, found[1].State);
        Assert.Equal("Socket: Connection refused", found[1].Info);
        // a protocol that is down after an error tries nothing: Idle, with the error
        Assert.Equal(BgpSessionState.Idle, found[2].State);
        Assert.Equal("Error: Invalid next hop", found[2].Info);
    }

    [Fact]
    public void A_time_without_a_date_leaves_Since_unknown_and_keeps_the_state()
    {
        // BIRD's default time format (without the one bird.conf sets)
        var found = Assert.Single(BirdProtocols.Parse("lvsps_peer1 BGP        ---        start  14:42:50.123  Connect\n"));
        Assert.Null(found.Since);
        Assert.Equal(BgpSessionState.Connect, found.State);
    }

    [Fact]
    public void Bird_conf_names_the_time_format_the_reader_expects_and_one_protocol_per_neighbor()
    {
        var g = new BgpSettings
        {
            As = 65001,
            Neighbors = new[] { new BgpNeighbor { Address = IPAddress.Parse("10.0.0.1"), As = 65000 }, new BgpNeighbor { Address = IPAddress.Parse("10.0.0.2"), As = 65000 } },
            Nodes = new[] { new BgpNode { Name = "lb1", RouterId = IPAddress.Parse("10.0.0.11") } },
        }.Validate();
        var text = BirdConfig.Render(g, g.Node("lb1"), Array.Empty<IPAddress>());
        Assert.Contains("timeformat protocol iso long;", text);
        Assert.Contains($"protocol bgp {BirdConfig.PeerName(0)} {{", text);
        Assert.Contains($"protocol bgp {BirdConfig.PeerName(1)} {{", text);
    }
}
