using LvsPs.Interop;
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace LvsPs.Engine.Bpf;

/// <summary>
/// The bpf(2) system call, made through libc's syscall(2) (glibc has no bpf() wrapper; the declarations are in LvsPs.Interop, Libc.Bpf.cs) for
/// the BPF fast path. Command numbers and the layout of <c>union bpf_attr</c> are those of
/// include/uapi/linux/bpf.h; an attribute is passed as a zeroed 128-byte block (the kernel accepts a shorter or longer
/// one as long as the bytes it does not know are zero, kernel/bpf/syscall.c bpf_check_uarg_tail_zero).
/// </summary>
internal static partial class BpfSyscalls
{
    /// <summary>__NR_bpf on x86-64 (arch/x86/entry/syscalls/syscall_64.tbl) and arm64 (include/uapi/asm-generic/unistd.h).</summary>
    public static int SyscallNumber => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => 321,
        Architecture.Arm64 => 280,
        _ => -1,
    };

    // enum bpf_cmd
    public const int BPF_MAP_CREATE = 0, BPF_MAP_LOOKUP_ELEM = 1, BPF_MAP_UPDATE_ELEM = 2, BPF_MAP_DELETE_ELEM = 3,
        BPF_PROG_LOAD = 5, BPF_PROG_ATTACH = 8;

    // enum bpf_map_type, enum bpf_prog_type, enum bpf_attach_type
    public const uint BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_SOCKMAP = 15;
    public const uint BPF_PROG_TYPE_SK_SKB = 14;
    public const uint BPF_SK_SKB_STREAM_VERDICT = 5;

    /// <summary>BPF_ANY: create or update an element.</summary>
    public const ulong BPF_ANY = 0;

    private const int AttrSize = 128;

    public const int EPERM = 1, ENOSYS = 38;

    /// <summary>BPF_MAP_CREATE: a map's descriptor, or -errno.</summary>
    public static int MapCreate(uint type, uint keySize, uint valueSize, uint maxEntries, string name)
    {
        Span<byte> attr = stackalloc byte[AttrSize];
        attr.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(attr, type);              // map_type
        BinaryPrimitives.WriteUInt32LittleEndian(attr[4..], keySize);      // key_size
        BinaryPrimitives.WriteUInt32LittleEndian(attr[8..], valueSize);    // value_size
        BinaryPrimitives.WriteUInt32LittleEndian(attr[12..], maxEntries);  // max_entries
        WriteName(attr.Slice(28, 16), name);                               // map_name (after map_flags, inner_map_fd, numa_node)
        return Call(BPF_MAP_CREATE, attr);
    }

    /// <summary>BPF_MAP_UPDATE_ELEM / BPF_MAP_LOOKUP_ELEM / BPF_MAP_DELETE_ELEM: 0 or -errno.</summary>
    public static unsafe int MapElement(int cmd, int mapFd, ReadOnlySpan<byte> key, Span<byte> value, ulong flags = BPF_ANY)
    {
        Span<byte> attr = stackalloc byte[AttrSize];
        attr.Clear();
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(attr, (uint)mapFd);           // map_fd
            BinaryPrimitives.WriteUInt64LittleEndian(attr[8..], (ulong)k);         // key
            BinaryPrimitives.WriteUInt64LittleEndian(attr[16..], (ulong)v);        // value (next_key for other commands)
            BinaryPrimitives.WriteUInt64LittleEndian(attr[24..], flags);           // flags
            return Call(cmd, attr);
        }
    }

    /// <summary>BPF_PROG_LOAD: a program's descriptor, or -errno; the verifier writes its log to <paramref name="log"/>
    /// when one is given (log level 1).</summary>
    public static unsafe int ProgLoad(uint type, ReadOnlySpan<byte> instructions, string license, string name, Span<byte> log)
    {
        Span<byte> attr = stackalloc byte[AttrSize];
        attr.Clear();
        Span<byte> licenseBytes = stackalloc byte[license.Length + 1];
        licenseBytes.Clear();
        System.Text.Encoding.ASCII.GetBytes(license, licenseBytes);
        fixed (byte* insns = instructions)
        fixed (byte* lic = licenseBytes)
        fixed (byte* logBuf = log)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(attr, type);                                  // prog_type
            BinaryPrimitives.WriteUInt32LittleEndian(attr[4..], (uint)(instructions.Length / 8));  // insn_cnt
            BinaryPrimitives.WriteUInt64LittleEndian(attr[8..], (ulong)insns);                     // insns
            BinaryPrimitives.WriteUInt64LittleEndian(attr[16..], (ulong)lic);                      // license
            if (!log.IsEmpty)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(attr[24..], 1);                           // log_level
                BinaryPrimitives.WriteUInt32LittleEndian(attr[28..], (uint)log.Length);            // log_size
                BinaryPrimitives.WriteUInt64LittleEndian(attr[32..], (ulong)logBuf);               // log_buf
            }
            WriteName(attr.Slice(48, 16), name);                                                   // prog_name
            return Call(BPF_PROG_LOAD, attr);
        }
    }

    /// <summary>BPF_PROG_ATTACH of a program to a map: 0 or -errno.</summary>
    public static int ProgAttach(int cmd, int targetFd, int programFd, uint attachType)
    {
        Span<byte> attr = stackalloc byte[AttrSize];
        attr.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(attr, (uint)targetFd);        // target_fd
        BinaryPrimitives.WriteUInt32LittleEndian(attr[4..], (uint)programFd);  // attach_bpf_fd
        BinaryPrimitives.WriteUInt32LittleEndian(attr[8..], attachType);       // attach_type
        return Call(cmd, attr);
    }

    private static void WriteName(Span<byte> field, string name)
    {
        // BPF_OBJ_NAME_LEN is 16 with the terminating zero; the kernel takes letters, digits, '_' and '.'
        int n = Math.Min(name.Length, field.Length - 1);
        System.Text.Encoding.ASCII.GetBytes(name.AsSpan(0, n), field);
    }

    private static unsafe int Call(int cmd, Span<byte> attr)
    {
        int nr = SyscallNumber;
        if (nr < 0) return -ENOSYS;
        fixed (byte* a = attr)
        {
            long r = Libc.Syscall(nr, cmd, a, (uint)attr.Length);
            return r >= 0 ? (int)r : -Marshal.GetLastPInvokeError();
        }
    }

    /// <summary>Closes a descriptor bpf(2) returned (maps and programs are freed when nothing refers to them).</summary>
    public static void Close(int fd)
    {
        if (fd >= 0) _ = Libc.Close(fd);
    }

    /// <summary>SIOCINQ (FIONREAD) and SIOCOUTQ (TIOCOUTQ), include/uapi/asm-generic/ioctls.h: bytes unread in a TCP
    /// socket's receive queue, bytes not yet acknowledged in its send queue (net/ipv4/tcp.c tcp_ioctl).</summary>
    public const int SIOCINQ = 0x541B, SIOCOUTQ = 0x5411;

    /// <summary>An int-valued ioctl(2) on a socket; throws <see cref="System.Net.Sockets.SocketException"/> on an error.</summary>
    public static int Ioctl(SafeHandle socket, int request)
    {
        using var lease = new HandleLease(socket);
        int value = 0;
        if (Libc.Ioctl(lease.Fd, (nuint)request, ref value) != 0) throw new System.Net.Sockets.SocketException(Marshal.GetLastPInvokeError());
        return value;
    }
}
