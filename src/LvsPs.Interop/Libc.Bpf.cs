using System.Runtime.InteropServices;

namespace LvsPs.Interop;

/// <summary>What the BPF sockmap fast path calls: bpf(2) through syscall(2) (glibc has no bpf() wrapper), and ioctl(2).</summary>
internal static unsafe partial class Libc
{
    /// <summary>syscall(2), for bpf(2): SYS_bpf is 321 on x86-64 (arch/x86/entry/syscalls/syscall_64.tbl).</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, int cmd, byte* attr, uint size);

    /// <summary>An int-valued ioctl(2) (SIOCINQ, SIOCOUTQ).</summary>
    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, ref int value);
}
