using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace LvsPs.Scheduling;

/// <summary>
/// An IPv4 or IPv6 address as a value, laid out like the kernel's <c>union nf_inet_addr</c> (network byte order), so
/// schedulers can hash it without allocating. For IPv4 only <see cref="Word0"/> is used.
/// </summary>
public readonly struct NetAddress : IEquatable<NetAddress>
{
    private readonly ulong _hi;
    private readonly ulong _lo;

    private NetAddress(ulong hi, ulong lo, bool v6)
    {
        _hi = hi;
        _lo = lo;
        IsIPv6 = v6;
    }

    public bool IsIPv6 { get; }

    /// <summary>The first 32-bit word in host order of its network-order bytes (for IPv4: the whole address, as ntohl(addr.ip)).</summary>
    public uint Word0 => (uint)(_hi >> 32);
    public uint Word1 => (uint)_hi;
    public uint Word2 => (uint)(_lo >> 32);
    public uint Word3 => (uint)_lo;

    /// <summary>
    /// The address folded to 32 bits as the hashing schedulers do (<c>addr_fold</c> in ip_vs_dh.c, ip_vs_sh.c, ip_vs_mh.c,
    /// ip_vs_lblc.c): ntohl(ip) for IPv4, ntohl(ip6[0] ^ ip6[1] ^ ip6[2] ^ ip6[3]) for IPv6.
    /// </summary>
    public uint Fold => Word0 ^ Word1 ^ Word2 ^ Word3;

    public static NetAddress FromIPv4(uint hostOrder) => new((ulong)hostOrder << 32, 0, false);

    /// <summary>An IPv6 address from its 16 network-order bytes read as two big-endian halves (as a sockaddr_in6 holds it).</summary>
    public static NetAddress FromIPv6(ulong high, ulong low) => new(high, low, true);

    public static NetAddress FromIPAddress(IPAddress address)
    {
        Span<byte> b = stackalloc byte[16];
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            address.TryWriteBytes(b, out _);
            return FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(b));
        }
        address.TryWriteBytes(b, out _);
        return new NetAddress(BinaryPrimitives.ReadUInt64BigEndian(b), BinaryPrimitives.ReadUInt64BigEndian(b[8..]), true);
    }

    public IPAddress ToIPAddress()
    {
        if (!IsIPv6)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, Word0);
            return new IPAddress(v4);
        }
        Span<byte> v6 = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(v6, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(v6[8..], _lo);
        return new IPAddress(v6);
    }

    /// <summary>Keeps the leading bits (IPv4: AND with a host-order mask; IPv6: a prefix length), as persistence does.</summary>
    public NetAddress Mask(uint netmask)
    {
        if (!IsIPv6) return FromIPv4(Word0 & netmask);
        int plen = (int)Math.Min(netmask, 128u);
        ulong hiMask = plen >= 64 ? ulong.MaxValue : plen == 0 ? 0 : ulong.MaxValue << (64 - plen);
        ulong loMask = plen <= 64 ? 0 : plen == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - plen);
        return new NetAddress(_hi & hiMask, _lo & loMask, true);
    }

    public bool Equals(NetAddress other) => _hi == other._hi && _lo == other._lo && IsIPv6 == other.IsIPv6;

    public override bool Equals(object? obj) => obj is NetAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_hi, _lo, IsIPv6);

    public static bool operator ==(NetAddress a, NetAddress b) => a.Equals(b);

    public static bool operator !=(NetAddress a, NetAddress b) => !a.Equals(b);

    public override string ToString() => ToIPAddress().ToString();
}
