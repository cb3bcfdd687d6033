using System.Net.Sockets;
using LvsPs.Interop;

namespace LvsPs.DirectorService.Restart;

/// <summary>
/// Sends and receives open file descriptors over a connected Unix domain socket (SCM_RIGHTS ancillary data, unix(7)),
/// as HAProxy's seamless reload and Envoy's hot restart hand their listening sockets to the new process. The receiver
/// gets its own descriptors for the same open sockets, marked close-on-exec.
/// </summary>
internal static unsafe class DescriptorPassing
{
    private const int CmsgHeader = 16;               // struct cmsghdr { size_t len; int level; int type; } on LP64

    /// <summary>The kernel refuses more than SCM_MAX_FD (253) descriptors in one message; batches stay below it.</summary>
    public const int MaxPerMessage = 250;

    private static int Space(int count) => CmsgHeader + ((count * 4 + 7) & ~7);

    /// <summary>Sends <paramref name="descriptors"/> (at most <see cref="MaxPerMessage"/>) with one byte of data.</summary>
    public static void Send(Socket socket, ReadOnlySpan<int> descriptors)
    {
        if (descriptors.Length is 0 or > MaxPerMessage) throw new ArgumentOutOfRangeException(nameof(descriptors));
        byte data = (byte)descriptors.Length;
        int space = Space(descriptors.Length);
        byte* control = stackalloc byte[space];
        new Span<byte>(control, space).Clear();
        *(nuint*)control = (nuint)(CmsgHeader + descriptors.Length * 4);
        *(int*)(control + 8) = Libc.SOL_SOCKET;
        *(int*)(control + 12) = Libc.SCM_RIGHTS;
        descriptors.CopyTo(new Span<int>(control + CmsgHeader, descriptors.Length));
        var iov = new Libc.IoVec { Base = &data, Length = 1 };
        var message = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)space };
        using var lease = new HandleLease(socket.SafeHandle);
        if (Libc.SendMsg(lease.Fd, &message, 0) != 1) throw new IOException($"sendmsg(SCM_RIGHTS) failed: {Errno.Describe(Errno.Last)}");
    }

    /// <summary>Receives one message of descriptors (the sender's count is its one data byte).</summary>
    public static int[] Receive(Socket socket)
    {
        byte data = 0;
        int space = Space(MaxPerMessage);
        byte* control = stackalloc byte[space];
        var iov = new Libc.IoVec { Base = &data, Length = 1 };
        var message = new Libc.MsgHdr { Iov = &iov, IovLength = 1, Control = control, ControlLength = (nuint)space };
        nint n;
        using (var lease = new HandleLease(socket.SafeHandle)) n = Libc.RecvMsg(lease.Fd, &message, Libc.MSG_CMSG_CLOEXEC);
        if (n < 0) throw new IOException($"recvmsg(SCM_RIGHTS) failed: {Errno.Describe(Errno.Last)}");
        if (n == 0) throw new EndOfStreamException("The old process closed the connection before it handed over its sockets.");
        if (message.ControlLength < CmsgHeader || *(int*)(control + 8) != Libc.SOL_SOCKET || *(int*)(control + 12) != Libc.SCM_RIGHTS)
        {
            throw new IOException("The hand-over message carried no descriptors.");
        }
        int count = (int)((*(nuint*)control - CmsgHeader) / 4);
        var fds = new Span<int>(control + CmsgHeader, count).ToArray();
        if ((message.Flags & Libc.MSG_CTRUNC) != 0 || count != data)
        {
            foreach (var fd in fds) Libc.Close(fd);
            throw new IOException($"The hand-over message was cut: {count} of {data} descriptors arrived.");
        }
        return fds;
    }

    /// <summary>Closes a descriptor without shutting its socket down (the other process still uses the socket).</summary>
    public static void CloseOnly(int fd) => Libc.Close(fd);
}
