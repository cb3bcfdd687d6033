using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using LvsPs.Scheduling;

namespace LvsPs.Engine.Loop;

/// <summary>
/// A peer's address and port as a value, made from the sockaddr that recvfrom(2) or accept4(2) fills in (sockaddr_in or
/// sockaddr_in6, netinet/in.h) without allocating: the key of a UDP service's flow table and a connection's client. The
/// scheduler takes it as it is (<see cref="Address"/>, <see cref="Port"/>); it becomes an <see cref="IPEndPoint"/> only
/// when a connection is listed or a socket API needs one.
/// </summary>
internal readonly struct PeerAddress : IEquatable<PeerAddress>
{
    private const int AfInet = 2, AfInet6 = 10; // linux/socket.h
    private const int SockAddrIn = 16, SockAddrIn6 = 28;

    /// <summary>Room for either sockaddr.</summary>
    public const int MaxSockAddr = SockAddrIn6;

    private readonly ulong _hi, _lo;
    private readonly uint _scope;
    private readonly ushort _port;
    private readonly bool _v6;

    private PeerAddress(ulong hi, ulong lo, ushort port, uint scope, bool v6)
    {
        _hi = hi;
        _lo = lo;
        _port = port;
        _scope = scope;
        _v6 = v6;
    }

    /// <summary>Reads a sockaddr_in or sockaddr_in6 (family in host order, port and address in network order).</summary>
    public static bool TryRead(ReadOnlySpan<byte> sockaddr, out PeerAddress peer)
    {
        peer = default;
        if (sockaddr.Length < SockAddrIn) return false;
        int family = BitConverter.ToUInt16(sockaddr); // sa_family_t is host order
        ushort port = BinaryPrimitives.ReadUInt16BigEndian(sockaddr[2..]);
        if (family == AfInet)
        {
            peer = new PeerAddress(BinaryPrimitives.ReadUInt32BigEndian(sockaddr[4..]), 0, port, 0, v6: false);
            return true;
        }
        if (family == AfInet6 && sockaddr.Length >= SockAddrIn6)
        {
            peer = new PeerAddress(BinaryPrimitives.ReadUInt64BigEndian(sockaddr[8..]), BinaryPrimitives.ReadUInt64BigEndian(sockaddr[16..]),
                port, BitConverter.ToUInt32(sockaddr[24..]), v6: true);
            return true;
        }
        return false;
    }

    /// <summary>The address as the scheduler takes it.</summary>
    public NetAddress Address => _v6 ? NetAddress.FromIPv6(_hi, _lo) : NetAddress.FromIPv4((uint)_hi);

    /// <summary>The port, in host order.</summary>
    public ushort Port => _port;

    public static PeerAddress From(IPEndPoint endPoint)
    {
        Span<byte> sockaddr = stackalloc byte[MaxSockAddr];
        int length = Write(endPoint, sockaddr);
        TryRead(sockaddr[..length], out var peer);
        return peer;
    }

    /// <summary>Writes <paramref name="endPoint"/> as the sockaddr sendto(2) takes; its length.</summary>
    public static int Write(IPEndPoint endPoint, Span<byte> sockaddr)
    {
        sockaddr[..MaxSockAddr].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], (ushort)endPoint.Port);
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            BitConverter.TryWriteBytes(sockaddr, (ushort)AfInet);
            endPoint.Address.TryWriteBytes(sockaddr[4..8], out _);
            return SockAddrIn;
        }
        BitConverter.TryWriteBytes(sockaddr, (ushort)AfInet6);
        endPoint.Address.TryWriteBytes(sockaddr[8..24], out _);
        BitConverter.TryWriteBytes(sockaddr[24..], (uint)endPoint.Address.ScopeId);
        return SockAddrIn6;
    }

    /// <summary>Writes this address as the sockaddr sendto(2) takes; its length.</summary>
    public int Write(Span<byte> sockaddr)
    {
        sockaddr[..MaxSockAddr].Clear();
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], _port);
        if (!_v6)
        {
            BitConverter.TryWriteBytes(sockaddr, (ushort)AfInet);
            BinaryPrimitives.WriteUInt32BigEndian(sockaddr[4..], (uint)_hi);
            return SockAddrIn;
        }
        BitConverter.TryWriteBytes(sockaddr, (ushort)AfInet6);
        BinaryPrimitives.WriteUInt64BigEndian(sockaddr[8..], _hi);
        BinaryPrimitives.WriteUInt64BigEndian(sockaddr[16..], _lo);
        BitConverter.TryWriteBytes(sockaddr[24..], _scope);
        return SockAddrIn6;
    }

    public IPEndPoint ToEndPoint()
    {
        if (!_v6)
        {
            Span<byte> v4 = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(v4, (uint)_hi);
            return new IPEndPoint(new IPAddress(v4), _port);
        }
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, _hi);
        BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], _lo);
        return new IPEndPoint(new IPAddress(bytes, _scope), _port);
    }

    public bool Equals(PeerAddress other) => _hi == other._hi && _lo == other._lo && _port == other._port && _scope == other._scope && _v6 == other._v6;

    public override bool Equals(object? obj) => obj is PeerAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_hi, _lo, _port, _scope);

    public override string ToString() => ToEndPoint().ToString();
}
