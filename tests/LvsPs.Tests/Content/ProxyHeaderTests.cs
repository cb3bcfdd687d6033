using System.Net;
using System.Text;
using CsCheck;
using LvsPs.Engine.Preface;
using LvsPs.Model;

namespace LvsPs.Tests.Content;

/// <summary>The PROXY protocol header, byte for byte as haproxy's doc/proxy-protocol.txt lays it out, and fuzzed.</summary>
public sealed class ProxyHeaderTests
{
    /// <summary>A fixed seed: the fuzz run is the same every time (CsCheck prints a failing case's own seed).</summary>
    internal const string Seed = "0000001diAn7";

    private static readonly IPEndPoint Client = new(IPAddress.Parse("172.19.0.1"), 42578);
    private static readonly IPEndPoint Vip = new(IPAddress.Parse("172.19.0.3"), 80);

    [Fact]
    public void V2_over_IPv4_is_the_signature_0x21_0x11_length_12_and_the_addresses()
    {
        var bytes = new byte[64];
        int n = ProxyHeader.Write(ProxyProtocol.V2, Client, Vip, bytes);
        // as HAProxy's send-proxy-v2 writes it for 172.19.0.1:42578 -> 172.19.0.3:80
        Assert.Equal(Convert.FromHexString("0D0A0D0A000D0A515549540A2111000CAC130001AC130003A6520050"), bytes[..n]);
    }

    [Fact]
    public void V1_is_one_line_of_text()
    {
        var bytes = new byte[128];
        int n = ProxyHeader.Write(ProxyProtocol.V1, Client, Vip, bytes);
        Assert.Equal("PROXY TCP4 172.19.0.1 172.19.0.3 42578 80\r\n", Encoding.ASCII.GetString(bytes, 0, n));
        var v6 = ProxyHeader.Write(ProxyProtocol.V1, new IPEndPoint(IPAddress.Parse("2001:db8::1"), 1), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 443), bytes);
        Assert.Equal("PROXY TCP6 2001:db8::1 2001:db8::2 1 443\r\n", Encoding.ASCII.GetString(bytes, 0, v6));
    }

    [Theory]
    [InlineData("V1", "192.0.2.1", 1, "198.51.100.7", 65535)]
    [InlineData("V2", "192.0.2.1", 1, "198.51.100.7", 65535)]
    [InlineData("V1", "2001:db8::1", 40000, "2001:db8::80", 80)]
    [InlineData("V2", "2001:db8::1", 40000, "2001:db8::80", 80)]
    public void What_is_written_reads_back_with_any_bytes_after_it(string version, string src, int sport, string dst, int dport)
    {
        var source = new IPEndPoint(IPAddress.Parse(src), sport);
        var destination = new IPEndPoint(IPAddress.Parse(dst), dport);
        var bytes = new byte[128];
        int n = ProxyHeader.Write(Enum.Parse<ProxyProtocol>(version), source, destination, bytes);
        "GET / HTTP/1.1\r\n"u8.CopyTo(bytes.AsSpan(n));
        Assert.Equal(ParseStatus.Complete, ProxyHeader.TryParse(bytes.AsSpan(0, n + 16), out var parsed));
        Assert.Equal(n, parsed.Length);
        Assert.Equal(source, parsed.Source);
        Assert.Equal(destination, parsed.Destination);
        for (int cut = 0; cut < n; cut++) Assert.Equal(ParseStatus.Incomplete, ProxyHeader.TryParse(bytes.AsSpan(0, cut), out _));
    }

    [Theory]
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n")]           // LF without CR
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n")]        // leading zero
    [InlineData("PROXY TCP4 1.2.3.4 5.6.7.8 1 65536\r\n")]     // port out of range
    [InlineData("PROXY TCP4 2001:db8::1 5.6.7.8 1 2\r\n")]     // family mismatch
    [InlineData("PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n")]           // not a dotted quad
    [InlineData("PROXY UDP4 1.2.3.4 5.6.7.8 1 2\r\n")]
    [InlineData("PROXY TCP4  1.2.3.4 5.6.7.8 1 2\r\n")]        // two spaces
    [InlineData("GET / HTTP/1.1\r\n")]                          // no header at all
    public void Malformed_v1_headers_are_invalid(string header) =>
        Assert.Equal(ParseStatus.Invalid, ProxyHeader.TryParse(Encoding.ASCII.GetBytes(header), out _));

    [Fact]
    public void A_v1_line_longer_than_107_bytes_is_invalid_without_waiting_for_more()
    {
        var line = Encoding.ASCII.GetBytes("PROXY TCP4 " + new string('1', 120));
        Assert.Equal(ParseStatus.Invalid, ProxyHeader.TryParse(line, out _));
    }

    [Fact]
    public void Unknown_and_local_headers_keep_the_connections_own_addresses()
    {
        Assert.Equal(ParseStatus.Complete, ProxyHeader.TryParse("PROXY UNKNOWN\r\n"u8, out var v1));
        Assert.Null(v1.Source);
        Assert.Equal(15, v1.Length);
        var local = Convert.FromHexString("0D0A0D0A000D0A515549540A20000000");
        Assert.Equal(ParseStatus.Complete, ProxyHeader.TryParse(local, out var v2));
        Assert.Null(v2.Source);
        Assert.Equal(16, v2.Length);
    }

    [Theory]
    [InlineData("0D0A0D0A000D0A515549540A3111000C")] // version 3
    [InlineData("0D0A0D0A000D0A515549540A2211000C")] // command 2
    [InlineData("0D0A0D0A000D0A515549540A21110004")] // IPv4 with 4 bytes of addresses
    [InlineData("0D0A0D0A000D0A515549540A21310000")] // AF_UNIX
    [InlineData("0D0A0D0A000D0A515549540A2111FFFF")] // longer than any front sends
    [InlineData("0D0A0D0A000D0A515549550A")]         // wrong signature
    public void Malformed_v2_headers_are_invalid(string hex) =>
        Assert.Equal(ParseStatus.Invalid, ProxyHeader.TryParse(Convert.FromHexString(hex), out _));

    [Fact]
    public void V2_TLVs_after_the_addresses_are_skipped()
    {
        var header = Convert.FromHexString("0D0A0D0A000D0A515549540A21110011C0000201C0000202D43104D2" + "0400020000" + "4745");
        Assert.Equal(ParseStatus.Complete, ProxyHeader.TryParse(header, out var parsed));
        Assert.Equal(16 + 17, parsed.Length);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 54321), parsed.Source);
    }

    [Fact]
    public void Fuzz_random_bytes_never_throw_and_a_complete_header_is_within_its_input() =>
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            var status = ProxyHeader.TryParse(bytes, out var parsed);
            if (status == ParseStatus.Complete) Assert.InRange(parsed.Length, 1, bytes.Length);
        }, seed: Seed, iter: 20_000, threads: 1);

    [Fact]
    public void Fuzz_mutated_valid_headers_never_throw_and_what_parses_round_trips()
    {
        var gen = Gen.Select(Gen.Int[0, 3], Gen.UInt, Gen.UShort, Gen.Int[0, 60], Gen.Byte);
        gen.Sample((kind, address, port, position, value) =>
        {
            var source = new IPEndPoint(kind < 2 ? new IPAddress(address) : IPAddress.Parse($"2001:db8::{address & 0xFFFF:x}"), port);
            var bytes = new byte[128];
            int n = ProxyHeader.Write(kind % 2 == 0 ? ProxyProtocol.V1 : ProxyProtocol.V2, source, Vip.AddressFamily == source.AddressFamily ? Vip : new IPEndPoint(IPAddress.IPv6Loopback, 80), bytes);
            bytes[Math.Min(position, n - 1)] = value; // one byte changed somewhere in the header
            if (ProxyHeader.TryParse(bytes.AsSpan(0, n), out var parsed) != ParseStatus.Complete || parsed.Source is null) return;
            var again = new byte[128];
            int m = ProxyHeader.Write(kind % 2 == 0 ? ProxyProtocol.V1 : ProxyProtocol.V2, parsed.Source, parsed.Destination!, again);
            Assert.Equal(ParseStatus.Complete, ProxyHeader.TryParse(again.AsSpan(0, m), out var reparsed));
            Assert.Equal(parsed.Source, reparsed.Source);
            Assert.Equal(parsed.Destination, reparsed.Destination);
        }, seed: Seed, iter: 20_000, threads: 1);
    }
}
