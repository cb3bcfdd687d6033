using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LvsPs.Model;

namespace LvsPs.Engine.Preface;

/// <summary>How far a parser got with the bytes it was given.</summary>
internal enum ParseStatus
{
    /// <summary>More bytes are needed.</summary>
    Incomplete,

    /// <summary>Parsed; the result is valid.</summary>
    Complete,

    /// <summary>The bytes can never become valid: refuse the connection.</summary>
    Invalid,
}

/// <summary>
/// The PROXY protocol header (haproxy's doc/proxy-protocol.txt, versions 1 and 2): written to real servers so they see
/// the client's address, and read from a load balancer in front. Byte layouts, from the spec:
/// <list type="bullet">
/// <item>v1: <c>"PROXY TCP4|TCP6|UNKNOWN src dst sport dport\r\n"</c>, at most 107 bytes with the CRLF (section 2.1).</item>
/// <item>v2: the 12-byte signature <c>0D 0A 0D 0A 00 0D 0A 51 55 49 54 0A</c>, a byte version&lt;&lt;4|command
/// (0x21 PROXY, 0x20 LOCAL), a byte family&lt;&lt;4|transport (0x11 TCP over IPv4, 0x21 TCP over IPv6, 0x00 UNSPEC), a
/// big-endian 16-bit length of what follows, then for IPv4 src addr, dst addr (4 bytes each), src port, dst port
/// (2 bytes each) = 12 bytes, for IPv6 16+16+2+2 = 36 bytes, then TLVs up to the length (section 2.2).</item>
/// </list>
/// </summary>
internal static class ProxyHeader
{
    /// <summary>The v2 signature (section 2.2).</summary>
    public static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>"the maximum line lengths the receiver must support including the CRLF are ... 107 bytes" (section 2.1).</summary>
    public const int V1MaxLength = 107;

    /// <summary>The longest v2 header written: 16 bytes and IPv6 addresses.</summary>
    public const int MaxWrittenLength = 16 + 36;

    /// <summary>The longest v2 header read (with TLVs); the spec's 16-bit length allows 65,551, more than any front sends.</summary>
    public const int MaxReadLength = 16 + 1024;

    /// <summary>What a PROXY header said: the client's endpoint and the address it connected to, or neither for a
    /// LOCAL (v2) / UNKNOWN (v1) header (a health check of the front: the connection's own addresses count).</summary>
    public readonly record struct Parsed(IPEndPoint? Source, IPEndPoint? Destination, int Length);

    /// <summary>Writes the header of <paramref name="version"/> for a connection from <paramref name="source"/> to
    /// <paramref name="destination"/>; returns its length.</summary>
    public static int Write(ProxyProtocol version, IPEndPoint source, IPEndPoint destination, Span<byte> into)
    {
        if (source.AddressFamily != destination.AddressFamily)
        {
            // a client reached an IPv4 VIP through an IPv6 front (or the other way): the spec has no mixed form,
            // so both are written as IPv6 (IPv4-mapped), which a receiver reads back to the same addresses
            source = new IPEndPoint(source.Address.MapToIPv6(), source.Port);
            destination = new IPEndPoint(destination.Address.MapToIPv6(), destination.Port);
        }
        bool v6 = source.AddressFamily == AddressFamily.InterNetworkV6;
        if (version == ProxyProtocol.V1)
        {
            var line = $"PROXY {(v6 ? "TCP6" : "TCP4")} {source.Address} {destination.Address} {source.Port} {destination.Port}\r\n";
            return Encoding.ASCII.GetBytes(line, into);
        }
        V2Signature.CopyTo(into);
        into[12] = 0x21; // version 2, PROXY
        into[13] = v6 ? (byte)0x21 : (byte)0x11; // AF_INET6 / AF_INET, STREAM
        int addressLength = v6 ? 36 : 12;
        BinaryPrimitives.WriteUInt16BigEndian(into[14..], (ushort)addressLength);
        int size = v6 ? 16 : 4;
        source.Address.TryWriteBytes(into[16..], out _);
        destination.Address.TryWriteBytes(into[(16 + size)..], out _);
        BinaryPrimitives.WriteUInt16BigEndian(into[(16 + 2 * size)..], (ushort)source.Port);
        BinaryPrimitives.WriteUInt16BigEndian(into[(18 + 2 * size)..], (ushort)destination.Port);
        return 16 + addressLength;
    }

    /// <summary>Reads a v1 or v2 header from the start of <paramref name="data"/> (never more than one header).</summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> data, out Parsed result)
    {
        result = default;
        if (data.IsEmpty) return ParseStatus.Incomplete;
        if (data[0] == 0x0D) return TryParseV2(data, out result);
        if (data[0] == (byte)'P') return TryParseV1(data, out result);
        return ParseStatus.Invalid;
    }

    private static ParseStatus TryParseV2(ReadOnlySpan<byte> data, out Parsed result)
    {
        result = default;
        int prefix = Math.Min(data.Length, 12);
        if (!data[..prefix].SequenceEqual(V2Signature[..prefix])) return ParseStatus.Invalid;
        if (data.Length < 16) return ParseStatus.Incomplete;
        byte versionCommand = data[12], familyTransport = data[13];
        if (versionCommand >> 4 != 2 || (versionCommand & 0x0F) > 1) return ParseStatus.Invalid; // version 2; LOCAL or PROXY
        int length = BinaryPrimitives.ReadUInt16BigEndian(data[14..]);
        if (16 + length > MaxReadLength) return ParseStatus.Invalid;
        bool proxy = (versionCommand & 0x0F) == 1;
        if (proxy && (familyTransport is not (0x11 or 0x21 or 0x00) || (familyTransport == 0x11 && length < 12) || (familyTransport == 0x21 && length < 36)))
        {
            return ParseStatus.Invalid; // known to be wrong before the rest arrives
        }
        if (data.Length < 16 + length) return ParseStatus.Incomplete;
        var body = data.Slice(16, length);
        if ((versionCommand & 0x0F) == 0)
        {
            result = new Parsed(null, null, 16 + length); // LOCAL: "the receiver must accept this connection as valid and must use the real connection endpoints"
            return ParseStatus.Complete;
        }
        switch (familyTransport)
        {
            case 0x11: // TCP over IPv4
                if (length < 12) return ParseStatus.Invalid;
                result = new Parsed(
                    new IPEndPoint(new IPAddress(body[..4]), BinaryPrimitives.ReadUInt16BigEndian(body[8..])),
                    new IPEndPoint(new IPAddress(body[4..8]), BinaryPrimitives.ReadUInt16BigEndian(body[10..])),
                    16 + length);
                return ParseStatus.Complete;
            case 0x21: // TCP over IPv6
                if (length < 36) return ParseStatus.Invalid;
                result = new Parsed(
                    new IPEndPoint(new IPAddress(body[..16]), BinaryPrimitives.ReadUInt16BigEndian(body[32..])),
                    new IPEndPoint(new IPAddress(body[16..32]), BinaryPrimitives.ReadUInt16BigEndian(body[34..])),
                    16 + length);
                return ParseStatus.Complete;
            case 0x00: // UNSPEC: "the receiver should ignore the address information"
                result = new Parsed(null, null, 16 + length);
                return ParseStatus.Complete;
            default:
                return ParseStatus.Invalid; // UDP and UNIX sockets are not what a TCP listener relays
        }
    }

    private static ParseStatus TryParseV1(ReadOnlySpan<byte> data, out Parsed result)
    {
        result = default;
        ReadOnlySpan<byte> proxy = "PROXY "u8;
        int prefix = Math.Min(data.Length, proxy.Length);
        if (!data[..prefix].SequenceEqual(proxy[..prefix])) return ParseStatus.Invalid;
        int lf = data[..Math.Min(data.Length, V1MaxLength)].IndexOf((byte)'\n');
        if (lf < 0) return data.Length >= V1MaxLength ? ParseStatus.Invalid : ParseStatus.Incomplete;
        if (lf < 1 || data[lf - 1] != (byte)'\r') return ParseStatus.Invalid;
        var line = data[..(lf - 1)];
        foreach (byte b in line)
        {
            if (b is < 0x20 or > 0x7E) return ParseStatus.Invalid;
        }
        var fields = Encoding.ASCII.GetString(line).Split(' ');
        if (fields.Length >= 2 && fields[1] == "UNKNOWN")
        {
            result = new Parsed(null, null, lf + 1); // "the receiver must ignore anything presented before the CRLF"
            return ParseStatus.Complete;
        }
        if (fields.Length != 6) return ParseStatus.Invalid;
        var family = fields[1] switch { "TCP4" => AddressFamily.InterNetwork, "TCP6" => AddressFamily.InterNetworkV6, _ => AddressFamily.Unknown };
        if (family == AddressFamily.Unknown) return ParseStatus.Invalid;
        if (!TryAddress(fields[2], family, out var src) || !TryAddress(fields[3], family, out var dst)) return ParseStatus.Invalid;
        if (!TryPort(fields[4], out int sport) || !TryPort(fields[5], out int dport)) return ParseStatus.Invalid;
        result = new Parsed(new IPEndPoint(src!, sport), new IPEndPoint(dst!, dport), lf + 1);
        return ParseStatus.Complete;
    }

    private static bool TryAddress(string text, AddressFamily family, out IPAddress? address)
    {
        // IPv4 in dotted quads only (IPAddress.TryParse would also take "1" or "0x7f.1")
        if (family == AddressFamily.InterNetwork && (text.Split('.').Length != 4 || !text.All(c => char.IsAsciiDigit(c) || c == '.'))) address = null;
        else if (family == AddressFamily.InterNetworkV6 && (text.Contains('%') || !text.Contains(':'))) address = null;
        else if (!IPAddress.TryParse(text, out address) || address.AddressFamily != family) address = null;
        return address is not null;
    }

    /// <summary>A port in decimal without a leading zero or sign (section 2.1: "no leading zeroes").</summary>
    private static bool TryPort(string text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || (text.Length > 1 && text[0] == '0') || !text.All(char.IsAsciiDigit)) return false;
        port = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        return port <= 65535;
    }
}
