using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace LvsPs.Netlink.Protocol;

/// <summary>
/// The attributes of one level of a message by type (the nested/byte-order bits masked off). Readers check the length
/// they need and read integers the way the kernel writes them (nla_put_u16/u32/u64 host order, nla_put_be16/be32
/// network order).
/// </summary>
public sealed class AttributeSet
{
    private readonly Dictionary<ushort, ReadOnlyMemory<byte>> _values = new();

    public static AttributeSet Parse(ReadOnlyMemory<byte> data)
    {
        var set = new AttributeSet();
        int offset = 0;
        var span = data.Span;
        while (offset + NetlinkConstants.AttributeHeaderLength <= data.Length)
        {
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(span[offset..]);
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 2)..]) & NetlinkConstants.AttributeTypeMask);
            if (length < NetlinkConstants.AttributeHeaderLength || offset + length > data.Length)
            {
                throw new InvalidDataException($"Malformed netlink attribute: length {length} at offset {offset} of {data.Length}.");
            }
            set._values[type] = data.Slice(offset + NetlinkConstants.AttributeHeaderLength, length - NetlinkConstants.AttributeHeaderLength);
            offset += NetlinkConstants.Align(length);
        }
        return set;
    }

    public bool Has(ushort type) => _values.ContainsKey(type);

    public ReadOnlyMemory<byte>? Raw(ushort type) => _values.TryGetValue(type, out var v) ? v : null;

    public AttributeSet? Nested(ushort type) => _values.TryGetValue(type, out var v) ? Parse(v) : null;

    public byte? U8(ushort type) => Get(type, 1) is { } v ? v.Span[0] : null;

    public ushort? U16(ushort type) => Get(type, 2) is { } v ? BinaryPrimitives.ReadUInt16LittleEndian(v.Span) : null;

    public ushort? Be16(ushort type) => Get(type, 2) is { } v ? BinaryPrimitives.ReadUInt16BigEndian(v.Span) : null;

    public uint? U32(ushort type) => Get(type, 4) is { } v ? BinaryPrimitives.ReadUInt32LittleEndian(v.Span) : null;

    public uint? Be32(ushort type) => Get(type, 4) is { } v ? BinaryPrimitives.ReadUInt32BigEndian(v.Span) : null;

    /// <summary>A counter that may be sent as u32 (IPVS_*_ATTR_STATS) or u64 (STATS64): read by its length.</summary>
    public ulong? Counter(ushort type)
    {
        if (!_values.TryGetValue(type, out var v)) return null;
        return v.Length switch
        {
            >= 8 => BinaryPrimitives.ReadUInt64LittleEndian(v.Span),
            >= 4 => BinaryPrimitives.ReadUInt32LittleEndian(v.Span),
            _ => throw Short(type, 4, v.Length),
        };
    }

    /// <summary>A NUL-terminated string (the NUL and anything after it dropped).</summary>
    public string? String(ushort type)
    {
        if (!_values.TryGetValue(type, out var v)) return null;
        var span = v.Span;
        int nul = span.IndexOf((byte)0);
        return Encoding.ASCII.GetString(nul >= 0 ? span[..nul] : span);
    }

    /// <summary>An address attribute: the first 4 bytes for IPv4, 16 for IPv6 (union nf_inet_addr).</summary>
    public IPAddress? Address(ushort type, bool ipv6) =>
        Get(type, ipv6 ? 16 : 4) is { } v ? new IPAddress(v.Span[..(ipv6 ? 16 : 4)]) : null;

    private ReadOnlyMemory<byte>? Get(ushort type, int size)
    {
        if (!_values.TryGetValue(type, out var v)) return null;
        if (v.Length < size) throw Short(type, size, v.Length);
        return v;
    }

    private static InvalidDataException Short(ushort type, int size, int actual) =>
        new($"Netlink attribute {type} has {actual} bytes; expected at least {size}.");
}
