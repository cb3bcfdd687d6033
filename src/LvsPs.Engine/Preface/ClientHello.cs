using System.Buffers.Binary;
using System.Text;

namespace LvsPs.Engine.Preface;

/// <summary>
/// Reads the server name (SNI) from a TLS ClientHello without terminating TLS: the bytes are only looked at, and relayed
/// unchanged. Layouts: a TLS record is type (22 = handshake), legacy version (3.x), a 16-bit length of at most 2^14
/// (RFC 8446 section 5.1); a handshake message is type (1 = ClientHello) and a 24-bit length, and may be split over
/// several records (section 5.1: "handshake messages MAY be fragmented across several TLSPlaintext records"). A
/// ClientHello is legacy_version(2) random(32) session_id(&lt;0..32&gt;) cipher_suites(&lt;2..2^16-2&gt;)
/// compression_methods(&lt;1..2^8-1&gt;) extensions(&lt;8..2^16-1&gt;) (section 4.1.2); server_name is extension 0 with a
/// ServerNameList of (name_type 0 = host_name, HostName&lt;1..2^16-1&gt;) (RFC 6066 section 3).
/// </summary>
internal static class ClientHello
{
    private const byte Handshake = 22, ClientHelloType = 1;
    private const int MaxRecord = 1 << 14;

    /// <summary>The most handshake bytes gathered for one ClientHello.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Whether <paramref name="first"/> starts a TLS handshake record.</summary>
    public static bool LooksLikeTls(byte first) => first == Handshake;

    /// <summary>Parses the ClientHello at the start of <paramref name="data"/>; <paramref name="sni"/> is null when it has none.</summary>
    public static ParseStatus TryParse(ReadOnlySpan<byte> data, out string? sni)
    {
        sni = null;
        // gather the handshake message from as many records as it spans
        Span<byte> message = data.Length <= 4096 ? stackalloc byte[data.Length] : new byte[Math.Min(data.Length, MaxLength)];
        int gathered = 0, needed = -1;
        var rest = data;
        while (true)
        {
            if (rest.Length < 5) return ParseStatus.Incomplete;
            if (rest[0] != Handshake || rest[1] != 3) return ParseStatus.Invalid;
            int recordLength = BinaryPrimitives.ReadUInt16BigEndian(rest[3..]);
            if (recordLength == 0 || recordLength > MaxRecord) return ParseStatus.Invalid;
            if (rest.Length < 5 + recordLength) return ParseStatus.Incomplete;
            var fragment = rest.Slice(5, recordLength);
            if (gathered + fragment.Length > message.Length) return ParseStatus.Invalid;
            fragment.CopyTo(message[gathered..]);
            gathered += fragment.Length;
            rest = rest[(5 + recordLength)..];
            if (needed < 0 && gathered >= 4)
            {
                if (message[0] != ClientHelloType) return ParseStatus.Invalid;
                needed = 4 + (message[1] << 16 | message[2] << 8 | message[3]);
                if (needed > MaxLength) return ParseStatus.Invalid;
            }
            if (needed >= 0 && gathered >= needed) break;
        }
        return ReadServerName(message[4..needed], out sni) ? ParseStatus.Complete : ParseStatus.Invalid;
    }

    private static bool ReadServerName(ReadOnlySpan<byte> hello, out string? sni)
    {
        sni = null;
        var r = new Reader(hello);
        if (!r.Skip(2 + 32)) return false; // legacy_version, random
        if (!r.Vector8(out _) || !r.Vector16(out _) || !r.Vector8(out _)) return false; // session_id, cipher_suites, compression_methods
        if (r.AtEnd) return true; // no extensions (SSL 3.0 / TLS 1.0 style): no name
        if (!r.Vector16(out var extensions) || !r.AtEnd) return false;
        var e = new Reader(extensions);
        while (!e.AtEnd)
        {
            if (!e.UInt16(out int type) || !e.Vector16(out var body)) return false;
            if (type != 0) continue;
            var list = new Reader(body);
            if (!list.Vector16(out var names) || !list.AtEnd) return false;
            var n = new Reader(names);
            while (!n.AtEnd)
            {
                if (!n.Byte(out byte nameType) || !n.Vector16(out var name)) return false;
                if (nameType != 0 || sni is not null) continue; // host_name; "MUST NOT contain more than one name of the same name_type"
                if (name.IsEmpty) return false;
                foreach (byte b in name)
                {
                    if (b <= 0x20 || b >= 0x7F) return false; // "HostName" is ASCII without a trailing dot (RFC 6066)
                }
                sni = Encoding.ASCII.GetString(name);
            }
        }
        return true;
    }

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _rest = data;

        public readonly bool AtEnd => _rest.IsEmpty;

        public bool Skip(int n)
        {
            if (_rest.Length < n) return false;
            _rest = _rest[n..];
            return true;
        }

        public bool Byte(out byte value)
        {
            value = 0;
            if (_rest.IsEmpty) return false;
            value = _rest[0];
            _rest = _rest[1..];
            return true;
        }

        public bool UInt16(out int value)
        {
            value = 0;
            if (_rest.Length < 2) return false;
            value = BinaryPrimitives.ReadUInt16BigEndian(_rest);
            _rest = _rest[2..];
            return true;
        }

        public bool Vector8(out ReadOnlySpan<byte> body)
        {
            body = default;
            if (!Byte(out byte length) || _rest.Length < length) return false;
            body = _rest[..length];
            _rest = _rest[length..];
            return true;
        }

        public bool Vector16(out ReadOnlySpan<byte> body)
        {
            body = default;
            if (!UInt16(out int length) || _rest.Length < length) return false;
            body = _rest[..length];
            _rest = _rest[length..];
            return true;
        }
    }
}
