using System.Buffers.Binary;
using System.Runtime.InteropServices;
using LvsPs.Engine.Loop;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// Reads segment counters from Linux's TCP_INFO (getsockopt(IPPROTO_TCP, TCP_INFO)). Offsets are those of struct
/// tcp_info in include/uapi/linux/tcp.h: tcpi_segs_out at byte 136 and tcpi_segs_in at byte 140 (both __u32, since
/// Linux 4.2). These are real segment counts, what IPVS would have counted as packets for that socket's peer.
/// </summary>
internal static class TcpInfo
{
    private const int IpProtoTcp = 6;
    private const int TcpInfoOption = 11;
    private const int SegsInOffset = 140;
    private const int MinLength = SegsInOffset + 4;

    public static bool IsSupported { get; } = OperatingSystem.IsLinux();

    /// <summary>Segments received on <paramref name="socket"/>; false when the kernel did not report them.</summary>
    public static bool TryGetSegmentsIn(SafeHandle socket, out uint segmentsIn)
    {
        segmentsIn = 0;
        if (!IsSupported) return false;
        Span<byte> buffer = stackalloc byte[256];
        int length;
        try
        {
            length = RawSocket.GetOption(socket, IpProtoTcp, TcpInfoOption, buffer);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        if (length < MinLength) return false;
        segmentsIn = BinaryPrimitives.ReadUInt32LittleEndian(buffer[SegsInOffset..]);
        if (!BitConverter.IsLittleEndian) segmentsIn = BinaryPrimitives.ReverseEndianness(segmentsIn);
        return true;
    }
}
