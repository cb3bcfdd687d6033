using System.Buffers.Binary;
using System.Text;

namespace LvsPs.Netlink.Protocol;

/// <summary>
/// Writes netlink messages (nlmsghdr + genlmsghdr + attributes, each 4-byte aligned) into one growing buffer, so that
/// many requests can go to the kernel in one send. Integers are host order (little-endian on every Linux .NET runs
/// on) unless the method says big-endian: that is how the kernel reads nla_get_u16/u32 and nla_get_be16/be32.
/// </summary>
public sealed class MessageWriter
{
    private byte[] _buffer;
    private int _length;

    public MessageWriter(int capacity = 4096) => _buffer = new byte[capacity];

    public int Length => _length;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public void Clear() => _length = 0;

    /// <summary>Starts a generic netlink message; returns its start for <see cref="EndMessage"/>.</summary>
    public int BeginMessage(ushort family, ushort flags, uint sequence, byte command, byte version)
    {
        int start = _length;
        var span = Reserve(NetlinkConstants.HeaderLength + NetlinkConstants.GenericHeaderLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span, 0); // length, patched by EndMessage
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], family);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(span[12..], 0); // port id: the kernel fills it in
        span[16] = command;
        span[17] = version;
        BinaryPrimitives.WriteUInt16LittleEndian(span[18..], 0);
        return start;
    }

    public void EndMessage(int start) => BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(start), (uint)(_length - start));

    /// <summary>Starts a nested attribute; returns its start for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _length;
        var span = Reserve(NetlinkConstants.AttributeHeaderLength);
        BinaryPrimitives.WriteUInt16LittleEndian(span, 0);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], (ushort)(type | NetlinkConstants.AttributeNested));
        return start;
    }

    public void EndNested(int start) => BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(start), (ushort)(_length - start));

    public void PutU8(ushort type, byte value) => Attribute(type, 1)[0] = value;

    public void PutU16(ushort type, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Attribute(type, 2), value);

    public void PutBe16(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Attribute(type, 2), value);

    public void PutU32(ushort type, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Attribute(type, 4), value);

    public void PutBe32(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(Attribute(type, 4), value);

    public void PutBytes(ushort type, ReadOnlySpan<byte> value) => value.CopyTo(Attribute(type, value.Length));

    /// <summary>A NUL-terminated string attribute (NLA_NUL_STRING / NLA_STRING).</summary>
    public void PutString(ushort type, string value)
    {
        int n = Encoding.ASCII.GetByteCount(value);
        var span = Attribute(type, n + 1);
        Encoding.ASCII.GetBytes(value, span);
        span[n] = 0;
    }

    /// <summary>Writes an attribute header and returns the (zeroed, padded) payload to fill.</summary>
    private Span<byte> Attribute(ushort type, int payloadLength)
    {
        int total = NetlinkConstants.AttributeHeaderLength + payloadLength;
        var span = Reserve(NetlinkConstants.Align(total));
        BinaryPrimitives.WriteUInt16LittleEndian(span, (ushort)total);
        BinaryPrimitives.WriteUInt16LittleEndian(span[2..], type);
        return span.Slice(NetlinkConstants.AttributeHeaderLength, payloadLength);
    }

    private Span<byte> Reserve(int length)
    {
        if (_length + length > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + length));
        var span = _buffer.AsSpan(_length, length);
        span.Clear();
        _length += length;
        return span;
    }
}
