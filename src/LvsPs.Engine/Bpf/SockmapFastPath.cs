using System.Buffers.Binary;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Engine.Loop;
using LvsPs.Engine.Tcp;

namespace LvsPs.Engine.Bpf;

/// <summary>
/// The BPF sockmap fast path: two SOCKMAPs of 2 x <see cref="Pairs"/> slots (a connection's client socket in slot 2p,
/// its real server's in 2p + 1), a HASH "peers" from socket cookie to {peer slot, bytes, messages}, and
/// <see cref="RelayVerdictProgram"/> attached to the first sockmap as its stream verdict. The program redirects into
/// the second map (the targets), which has no program: linking a connection writes both peers entries, then both
/// sockets into the targets, and only then both into the verdict's map, so a socket's bytes are never redirected
/// towards a slot still empty (bpf_sk_redirect_map answers SK_DROP for one, and the bytes, already acknowledged, would
/// be lost: with one map that was the case for bytes arriving between the two sockets' insertions). A socket may be
/// in several sockmaps (its psock keeps one link per map; net/core/sock_map.c sock_map_link refuses only a second
/// program of one kind). From then on the kernel moves each skb from one socket to the other
/// (net/core/skmsg.c sk_psock_verdict_recv, sk_psock_skb_redirect, sk_psock_backlog) and user space only hears of
/// FIN, reset and hang-up. Made once per director; every bpf(2) failure is a <see cref="BpfException"/>.
/// </summary>
internal sealed class SockmapFastPath : ITcpFastPath, IDisposable
{
    // include/uapi/asm-generic/socket.h: SO_COOKIE (since Linux 4.12), SO_RCVLOWAT
    private const int SOL_SOCKET = 1, SO_COOKIE = 57, SO_RCVLOWAT = 18;

    // include/uapi/linux/tcp.h: TCP_INFO, and tcpi_bytes_acked at byte 120 of struct tcp_info
    private const int IPPROTO_TCP = 6, TCP_INFO = 11, BytesAckedOffset = 120, TcpEstablished = 1;

    private readonly int _sockmap, _targets, _peers, _program;
    private readonly Stack<int> _free = new();
    private readonly object _gate = new();
    private int _linked;
    private bool _disposed;

    private long _joined;

    private SockmapFastPath(int sockmap, int targets, int peers, int program, int pairs, FastPathJoin join)
    {
        Join = join;
        _sockmap = sockmap;
        _targets = targets;
        _peers = peers;
        _program = program;
        Pairs = pairs;
        for (int p = pairs - 1; p >= 0; p--) _free.Push(p);
    }

    /// <summary>How many connections may be linked at once (a full map sends the next ones to the splice path).</summary>
    public int Pairs { get; }

    /// <summary>Connections linked now.</summary>
    public int Linked => Volatile.Read(ref _linked);

    /// <summary>Connections linked since the fast path was made.</summary>
    public long Joined => Interlocked.Read(ref _joined);

    public FastPathJoin Join { get; }

    /// <summary>
    /// Creates the maps, loads the verdict program (<paramref name="program"/>, given the sockmap's and the peers map's
    /// descriptors; <see cref="RelayVerdictProgram.Assemble"/> unless a test passes another) and attaches it. Throws
    /// <see cref="BpfException"/> (with the verifier's log when loading failed) and leaves nothing behind.
    /// </summary>
    public static SockmapFastPath Create(int pairs, FastPathJoin join, Func<int, int, byte[]>? program = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        int sockmap = -1, targets = -1, peers = -1, prog = -1;
        try
        {
            sockmap = Check(BpfSyscalls.MapCreate(BpfSyscalls.BPF_MAP_TYPE_SOCKMAP, 4, 4, (uint)(2 * pairs), "lvsps_relay"), "creating the sockmap");
            targets = Check(BpfSyscalls.MapCreate(BpfSyscalls.BPF_MAP_TYPE_SOCKMAP, 4, 4, (uint)(2 * pairs), "lvsps_targets"), "creating the targets sockmap");
            peers = Check(BpfSyscalls.MapCreate(BpfSyscalls.BPF_MAP_TYPE_HASH, 8, RelayVerdictProgram.ValueSize, (uint)(2 * pairs), "lvsps_peers"),
                "creating the peers map");
            prog = Load((program ?? RelayVerdictProgram.Assemble)(targets, peers));
            Check(BpfSyscalls.ProgAttach(BpfSyscalls.BPF_PROG_ATTACH, sockmap, prog, BpfSyscalls.BPF_SK_SKB_STREAM_VERDICT),
                "attaching the stream verdict program");
            return new SockmapFastPath(sockmap, targets, peers, prog, pairs, join);
        }
        catch
        {
            BpfSyscalls.Close(prog);
            BpfSyscalls.Close(peers);
            BpfSyscalls.Close(targets);
            BpfSyscalls.Close(sockmap);
            throw;
        }
    }

    private static int Load(byte[] instructions)
    {
        int fd = BpfSyscalls.ProgLoad(BpfSyscalls.BPF_PROG_TYPE_SK_SKB, instructions, "GPL", "lvsps_verdict", default);
        if (fd >= 0) return fd;
        if (-fd == BpfSyscalls.EPERM) throw new BpfException("loading the stream verdict program was not permitted", -fd);
        // loaded again with the verifier's log, for the exception (a log costs time, so only on failure)
        var log = new byte[64 * 1024];
        int again = BpfSyscalls.ProgLoad(BpfSyscalls.BPF_PROG_TYPE_SK_SKB, instructions, "GPL", "lvsps_verdict", log);
        if (again >= 0) return again;
        int end = Array.IndexOf(log, (byte)0);
        string text = System.Text.Encoding.ASCII.GetString(log, 0, end < 0 ? log.Length : end).TrimEnd();
        throw new BpfException("the verifier refused the stream verdict program", -again, text);
    }

    private static int Check(int result, string what) =>
        result >= 0 ? result : throw new BpfException(what + (-result == BpfSyscalls.EPERM ? " was not permitted" : " failed"), -result);

    public IFastRelayLink? Link(SafeHandle client, SafeHandle backend)
    {
        int pair;
        lock (_gate)
        {
            if (_disposed || !_free.TryPop(out pair)) return null;
        }
        var link = new SockmapLink(this, pair) { Client = client, Backend = backend };
        try
        {
            // a socket that is not ESTABLISHED (its peer's FIN came already: CLOSE_WAIT) cannot join a sockmap
            // (net/core/sock_map.c sock_map_sk_state_allowed): such a connection stays spliced
            if (!TryWritten(client, out link.WrittenBase[0]) || !TryWritten(backend, out link.WrittenBase[1]))
                throw new BpfException("a socket is no longer established", 0);
            link.ClientCookie = Cookie(client);
            link.BackendCookie = Cookie(backend);
            if (!WritePeer(link.ClientCookie, 2 * pair + 1) || !WritePeer(link.BackendCookie, 2 * pair)) throw new BpfException("writing the peers map failed", 0);
            link.PeersWritten = true;
            // the redirect targets first: no program runs for them, so the sockets' bytes still queue as before
            if (!WriteSlot(_targets, 2 * pair, client) || !WriteSlot(_targets, 2 * pair + 1, backend))
                throw new BpfException("adding the sockets to the targets sockmap failed", 0);
            link.TargetsWritten = true;
            if (!WriteSlot(_sockmap, 2 * pair, client)) throw new BpfException("adding the client's socket to the sockmap failed", 0);
        }
        catch (Exception e) when (e is BpfException or SocketException or ObjectDisposedException or IOException)
        {
            link.Dispose(); // nothing was relayed: the connection is spliced instead
            return null;
        }
        try
        {
            // from here the client's bytes are redirected to the real server's target slot, written above; a failure
            // now leaves the connection half on the fast path, so it costs the connection
            if (!WriteSlot(_sockmap, 2 * pair + 1, backend)) throw new BpfException("adding the real server's socket to the sockmap failed", 0);
            // bytes that arrived before the sockets joined the map wait in their receive queues, and the verdict program
            // runs only when more arrive: SO_RCVLOWAT calls sk_data_ready at once when data is queued (net/ipv4/tcp.c
            // tcp_set_rcvlowat -> tcp_data_ready), which is now the verdict's, so those bytes are relayed first
            RawSocket.SetOption(client, SOL_SOCKET, SO_RCVLOWAT, 1);
            RawSocket.SetOption(backend, SOL_SOCKET, SO_RCVLOWAT, 1);
        }
        catch (Exception e) when (e is BpfException or SocketException or ObjectDisposedException or IOException)
        {
            link.Dispose();
            throw new IOException("the connection was half linked to the sockmap and taken off again: " + e.Message, e);
        }
        link.Counted();
        Interlocked.Increment(ref _linked);
        Interlocked.Increment(ref _joined);
        return link;
    }

    /// <summary>Bytes written into <paramref name="socket"/> so far: acknowledged (TCP_INFO tcpi_bytes_acked, since Linux
    /// 4.1; struct tcp_info in include/uapi/linux/tcp.h) plus still in its send queue (SIOCOUTQ). The SYN, which
    /// tcpi_bytes_acked may count, is in the base taken when the connection was linked.</summary>
    private static long Written(SafeHandle socket) => Written(socket, out _);

    /// <summary><see cref="Written(SafeHandle)"/>, and whether the socket is ESTABLISHED (tcpi_state, the first byte of
    /// struct tcp_info; TCP_ESTABLISHED is 1 in include/net/tcp_states.h). A connection joins mid-stream
    /// (<see cref="FastPathJoin"/>), so the base taken when it is linked counts what the splice relay wrote that is
    /// still queued: counted from the acknowledged bytes alone, a FIN was passed on before the fast path's last bytes
    /// went out.</summary>
    private static long Written(SafeHandle socket, out bool established)
    {
        Span<byte> info = stackalloc byte[256];
        int length = RawSocket.GetOption(socket, IPPROTO_TCP, TCP_INFO, info);
        established = length > 0 && info[0] == TcpEstablished;
        long acked = length >= BytesAckedOffset + 8 ? (long)BinaryPrimitives.ReadUInt64LittleEndian(info[BytesAckedOffset..]) : 0;
        return acked + BpfSyscalls.Ioctl(socket, BpfSyscalls.SIOCOUTQ);
    }

    /// <summary>What <paramref name="socket"/> has written so far, when it is ESTABLISHED; false when not.</summary>
    private static bool TryWritten(SafeHandle socket, out long written)
    {
        written = Written(socket, out bool established);
        return established;
    }

    private static ulong Cookie(SafeHandle socket)
    {
        Span<byte> value = stackalloc byte[8];
        if (RawSocket.GetOption(socket, SOL_SOCKET, SO_COOKIE, value) != 8) throw new BpfException("SO_COOKIE gave no cookie", 0);
        return BinaryPrimitives.ReadUInt64LittleEndian(value);
    }

    private bool WritePeer(ulong cookie, int peerSlot)
    {
        Span<byte> key = stackalloc byte[8];
        Span<byte> value = stackalloc byte[RelayVerdictProgram.ValueSize];
        value.Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(key, cookie);
        BinaryPrimitives.WriteUInt32LittleEndian(value[RelayVerdictProgram.PeerOffset..], (uint)peerSlot);
        return BpfSyscalls.MapElement(BpfSyscalls.BPF_MAP_UPDATE_ELEM, _peers, key, value) == 0;
    }

    private static bool WriteSlot(int map, int slot, SafeHandle socket)
    {
        Span<byte> key = stackalloc byte[4];
        Span<byte> value = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)slot);
        bool added = false;
        var handle = socket;
        try
        {
            handle.DangerousAddRef(ref added);
            BinaryPrimitives.WriteUInt32LittleEndian(value, (uint)(int)handle.DangerousGetHandle());
            return BpfSyscalls.MapElement(BpfSyscalls.BPF_MAP_UPDATE_ELEM, map, key, value) == 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private (long Bytes, long Messages) ReadPeer(ulong cookie)
    {
        Span<byte> key = stackalloc byte[8];
        Span<byte> value = stackalloc byte[RelayVerdictProgram.ValueSize];
        BinaryPrimitives.WriteUInt64LittleEndian(key, cookie);
        if (BpfSyscalls.MapElement(BpfSyscalls.BPF_MAP_LOOKUP_ELEM, _peers, key, value) != 0) return (0, 0);
        return ((long)BinaryPrimitives.ReadUInt64LittleEndian(value[RelayVerdictProgram.BytesOffset..]),
            (long)BinaryPrimitives.ReadUInt64LittleEndian(value[RelayVerdictProgram.MessagesOffset..]));
    }

    private void Unlink(SockmapLink link)
    {
        lock (_gate)
        {
            if (_disposed) return; // the maps are gone (and their descriptor numbers may be another file's now)
        }
        Span<byte> slot = stackalloc byte[4];
        Span<byte> cookie = stackalloc byte[8];
        // a closed socket leaves the sockmap by itself (sock_map_close); deleting first makes the slot free at once
        for (int s = 2 * link.Pair; s <= 2 * link.Pair + 1; s++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)s);
            _ = BpfSyscalls.MapElement(BpfSyscalls.BPF_MAP_DELETE_ELEM, _sockmap, slot, default);
        }
        // out of the verdict's map first (its program stops), then out of the targets
        if (link.TargetsWritten)
        {
            for (int s = 2 * link.Pair; s <= 2 * link.Pair + 1; s++)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)s);
                _ = BpfSyscalls.MapElement(BpfSyscalls.BPF_MAP_DELETE_ELEM, _targets, slot, default);
            }
        }
        if (link.PeersWritten)
        {
            foreach (var c in new[] { link.ClientCookie, link.BackendCookie })
            {
                BinaryPrimitives.WriteUInt64LittleEndian(cookie, c);
                _ = BpfSyscalls.MapElement(BpfSyscalls.BPF_MAP_DELETE_ELEM, _peers, cookie, default);
            }
        }
        lock (_gate)
        {
            _free.Push(link.Pair);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
        }
        // the program stays attached to the map until both are freed; sockets still in the map leave it when closed
        BpfSyscalls.Close(_program);
        BpfSyscalls.Close(_peers);
        BpfSyscalls.Close(_targets);
        BpfSyscalls.Close(_sockmap);
    }

    private sealed class SockmapLink(SockmapFastPath path, int pair) : IFastRelayLink
    {
        private int _disposed;
        private bool _counted;

        public int Pair { get; } = pair;
        public ulong ClientCookie { get; set; }
        public ulong BackendCookie { get; set; }
        public bool PeersWritten { get; set; }
        public bool TargetsWritten { get; set; }

        public FastRelayCounts Read()
        {
            var (bytesIn, messagesIn) = path.ReadPeer(ClientCookie);
            var (bytesOut, messagesOut) = path.ReadPeer(BackendCookie);
            return new FastRelayCounts(bytesIn, messagesIn, bytesOut, messagesOut);
        }

        internal void Counted() => _counted = true;

        /// <summary>What the client's (0) and the real server's (1) socket had written when linked.</summary>
        public long[] WrittenBase { get; } = new long[2];

        public bool Delivered(bool inbound)
        {
            var (from, to) = inbound ? (Client!, Backend!) : (Backend!, Client!);
            if (BpfSyscalls.Ioctl(from, BpfSyscalls.SIOCINQ) != 0) return false; // the verdict has not read it all
            long relayed = inbound ? path.ReadPeer(ClientCookie).Bytes : path.ReadPeer(BackendCookie).Bytes;
            return Written(to) - WrittenBase[inbound ? 1 : 0] >= relayed;
        }

        public SafeHandle? Client { get; set; }
        public SafeHandle? Backend { get; set; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
            path.Unlink(this);
            if (_counted) Interlocked.Decrement(ref path._linked);
        }
    }
}
