using System.Buffers.Binary;

namespace LvsPs.Netlink.Protocol;

/// <summary>One netlink message from a receive buffer: the nlmsghdr fields and the bytes after the header.</summary>
public readonly record struct NetlinkMessage(ushort Type, ushort Flags, uint Sequence, uint PortId, ReadOnlyMemory<byte> Payload)
{
    public bool IsMulti => (Flags & NetlinkConstants.FlagMulti) != 0;

    /// <summary>For an NLMSG_ERROR message, the (negative) errno; 0 is an ACK (struct nlmsgerr: int error first).</summary>
    public int Error => BinaryPrimitives.ReadInt32LittleEndian(Require(4, "error code"));

    /// <summary>The generic netlink command (genlmsghdr.cmd).</summary>
    public byte Command => Require(NetlinkConstants.GenericHeaderLength, "generic netlink header")[0];

    /// <summary>The attributes after the genlmsghdr.</summary>
    public AttributeSet Attributes
    {
        get
        {
            Require(NetlinkConstants.GenericHeaderLength, "generic netlink header");
            return AttributeSet.Parse(Payload[NetlinkConstants.GenericHeaderLength..]);
        }
    }

    /// <summary>The payload, when it has at least <paramref name="length"/> bytes (a short one is malformed: found by fuzzing).</summary>
    private ReadOnlySpan<byte> Require(int length, string what) => Payload.Length >= length
        ? Payload.Span
        : throw new InvalidDataException($"Malformed netlink message: {Payload.Length} bytes of payload, too short for its {what} ({length} bytes).");

    /// <summary>Splits a receive buffer into its messages; throws on a truncated or malformed one.</summary>
    public static List<NetlinkMessage> Split(ReadOnlyMemory<byte> buffer)
    {
        var list = new List<NetlinkMessage>();
        int offset = 0;
        var span = buffer.Span;
        while (offset + NetlinkConstants.HeaderLength <= buffer.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(span[offset..]);
            if (length < NetlinkConstants.HeaderLength || offset + length > buffer.Length)
            {
                throw new InvalidDataException($"Malformed netlink message: length {length} at offset {offset} of {buffer.Length}.");
            }
            list.Add(new NetlinkMessage(
                BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 4)..]),
                BinaryPrimitives.ReadUInt16LittleEndian(span[(offset + 6)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 8)..]),
                BinaryPrimitives.ReadUInt32LittleEndian(span[(offset + 12)..]),
                buffer.Slice(offset + NetlinkConstants.HeaderLength, (int)length - NetlinkConstants.HeaderLength)));
            offset += NetlinkConstants.Align((int)length);
        }
        return list;
    }
}
