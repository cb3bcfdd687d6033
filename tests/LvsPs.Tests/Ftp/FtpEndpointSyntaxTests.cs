using System.Net;
using LvsPs.Engine.Ftp;

namespace LvsPs.Tests.Ftp;

public class FtpEndpointSyntaxTests
{
    [Theory]
    [InlineData("227 Entering Passive Mode (192,168,1,20,195,80).\r\n", "192.168.1.20", 50000)]
    [InlineData("227 Entering Passive Mode 10,0,0,1,0,21\r\n", "10.0.0.1", 21)]
    [InlineData("227 =127,0,0,1,255,255\r\n", "127.0.0.1", 65535)]
    [InlineData("227 Version 2 says (127,0,0,1,1,2)\r\n", "127.0.0.1", 258)]
    public void Passive_reply_is_parsed(string line, string address, int port)
    {
        Assert.True(FtpEndpointSyntax.TryParsePassiveReply(line, 4, out var at));
        Assert.Equal(IPAddress.Parse(address), at.Address);
        Assert.Equal(port, at.Port);
        Assert.Equal("X", FtpEndpointSyntax.Replace(line, at, "X").Substring(at.Start, 1));
    }

    [Theory]
    [InlineData("227 Entering Passive Mode (192,168,1,256,1,1)\r\n")] // byte out of range
    [InlineData("227 Entering Passive Mode (192,168,1,1,1)\r\n")] // five numbers
    [InlineData("227 Entering Passive Mode (192,168,1,1,0,0)\r\n")] // port 0
    [InlineData("227 Entering Passive Mode (192,168,1,1,1,1000)\r\n")]
    [InlineData("227 Entering Passive Mode\r\n")]
    public void Bad_passive_reply_is_not_parsed(string line) =>
        Assert.False(FtpEndpointSyntax.TryParsePassiveReply(line, 4, out _));

    [Fact]
    public void Passive_reply_is_rewritten_in_place_keeping_the_rest_of_the_line()
    {
        const string line = "227 Entering Passive Mode (192,168,1,20,195,80).\r\n";
        Assert.True(FtpEndpointSyntax.TryParsePassiveReply(line, 4, out var at));
        var rewritten = FtpEndpointSyntax.Replace(line, at, FtpEndpointSyntax.FormatHostPort(IPAddress.Parse("10.1.2.3"), 4097));
        Assert.Equal("227 Entering Passive Mode (10,1,2,3,16,1).\r\n", rewritten);
    }

    [Theory]
    [InlineData("229 Entering Extended Passive Mode (|||6446|)\r\n", 6446)]
    [InlineData("229 Entering Extended Passive Mode (!!!1!)\r\n", 1)]
    public void Extended_passive_reply_is_parsed_with_any_delimiter(string line, int port)
    {
        Assert.True(FtpEndpointSyntax.TryParseExtendedPassiveReply(line, out var at));
        Assert.Equal(port, at.Port);
        Assert.Null(at.Address);
        Assert.Equal(line.Replace(port.ToString(), "99"), FtpEndpointSyntax.Replace(line, at, "99"));
    }

    [Theory]
    [InlineData("229 Entering Extended Passive Mode (|||0|)\r\n")]
    [InlineData("229 Entering Extended Passive Mode (|||65536|)\r\n")]
    [InlineData("229 Entering Extended Passive Mode (||6446|)\r\n")]
    [InlineData("229 Entering Extended Passive Mode (|||6446)\r\n")]
    [InlineData("229 Entering Extended Passive Mode (1116461)\r\n")]
    public void Bad_extended_passive_reply_is_not_parsed(string line) =>
        Assert.False(FtpEndpointSyntax.TryParseExtendedPassiveReply(line, out _));

    [Theory]
    [InlineData("PORT 127,0,0,1,4,1\r\n", "127.0.0.1", 1025)]
    [InlineData("port 10,0,0,2,0,20\r\n", "10.0.0.2", 20)]
    public void Port_command_is_parsed(string line, string address, int port)
    {
        Assert.True(FtpEndpointSyntax.TryParsePortCommand(line, out var at));
        Assert.Equal(IPAddress.Parse(address), at.Address);
        Assert.Equal(port, at.Port);
        Assert.Equal(5, at.Start);
    }

    [Theory]
    [InlineData("PORT 127,0,0,1,4\r\n")]
    [InlineData("PORT 127,0,0,1,4,1,7\r\n")]
    [InlineData("PORT 127,0,0,1,4,1 junk\r\n")]
    [InlineData("PORTS 127,0,0,1,4,1\r\n")]
    [InlineData("PORT\r\n")]
    public void Bad_port_command_is_not_parsed(string line) =>
        Assert.False(FtpEndpointSyntax.TryParsePortCommand(line, out _));

    [Theory]
    [InlineData("EPRT |1|132.235.1.2|6275|\r\n", "132.235.1.2", 6275)]
    [InlineData("EPRT |2|1080::8:800:200C:417A|5282|\r\n", "1080::8:800:200C:417A", 5282)]
    [InlineData("eprt !2!::1!1!\r\n", "::1", 1)]
    public void Extended_port_command_is_parsed_for_both_families(string line, string address, int port)
    {
        Assert.True(FtpEndpointSyntax.TryParseExtendedPortCommand(line, out var at));
        Assert.Equal(IPAddress.Parse(address), at.Address);
        Assert.Equal(port, at.Port);
        Assert.Equal("EPRT X\r\n", "EPRT " + FtpEndpointSyntax.Replace(line, at, "X")[5..]);
    }

    [Theory]
    [InlineData("EPRT |1|::1|6275|\r\n")] // family 1 with an IPv6 address
    [InlineData("EPRT |2|10.0.0.1|6275|\r\n")]
    [InlineData("EPRT |3|10.0.0.1|6275|\r\n")]
    [InlineData("EPRT |1|10.0.0.1|0|\r\n")]
    [InlineData("EPRT |1|10.0.0.1|6275\r\n")]
    [InlineData("EPRT |1|10.0.0.1|70000|\r\n")]
    public void Bad_extended_port_command_is_not_parsed(string line) =>
        Assert.False(FtpEndpointSyntax.TryParseExtendedPortCommand(line, out _));

    [Fact]
    public void Extended_port_is_formatted_per_family()
    {
        Assert.Equal("|1|10.0.0.1|21|", FtpEndpointSyntax.FormatExtendedPort(IPAddress.Parse("10.0.0.1"), 21));
        Assert.Equal("|2|2001:db8::1|65535|", FtpEndpointSyntax.FormatExtendedPort(IPAddress.Parse("2001:db8::1"), 65535));
    }
}
