using System.Net.Sockets;

namespace LvsPs.Interop;

/// <summary>
/// The one errno table: the values LvsPs meets (include/uapi/asm-generic/errno-base.h and errno.h, the same on x86-64 and
/// arm64), their names, and each one's <see cref="SocketError"/> where .NET's sockets have one. Every place that turns
/// an errno into a message or an error code takes it from here.
/// </summary>
internal static class Errno
{
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
        EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, ENODEV = 19, EINVAL = 22, ENFILE = 23, EMFILE = 24,
        EPIPE = 32, ERANGE = 34, ENOSYS = 38, ENOTSOCK = 88, EDESTADDRREQ = 89, EMSGSIZE = 90, EPROTOTYPE = 91,
        ENOPROTOOPT = 92, EPROTONOSUPPORT = 93, EOPNOTSUPP = 95, EAFNOSUPPORT = 97, EADDRINUSE = 98,
        EADDRNOTAVAIL = 99, ENETDOWN = 100, ENETUNREACH = 101, ENETRESET = 102, ECONNABORTED = 103, ECONNRESET = 104,
        ENOBUFS = 105, EISCONN = 106, ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTDOWN = 112,
        EHOSTUNREACH = 113, EALREADY = 114, EINPROGRESS = 115;

    /// <summary>Each errno with its name and its <see cref="SocketError"/> (<see cref="SocketError.SocketError"/> where
    /// sockets have no name for it).</summary>
    private static readonly Dictionary<int, (string Name, SocketError Socket)> s_table = new()
    {
        [EPERM] = ("EPERM", SocketError.AccessDenied),
        [ENOENT] = ("ENOENT", SocketError.SocketError),
        [ESRCH] = ("ESRCH", SocketError.SocketError),
        [EINTR] = ("EINTR", SocketError.Interrupted),
        [EIO] = ("EIO", SocketError.SocketError),
        [EBADF] = ("EBADF", SocketError.OperationAborted),
        [EAGAIN] = ("EAGAIN", SocketError.WouldBlock),
        [ENOMEM] = ("ENOMEM", SocketError.NoBufferSpaceAvailable),
        [EACCES] = ("EACCES", SocketError.AccessDenied),
        [EFAULT] = ("EFAULT", SocketError.Fault),
        [EBUSY] = ("EBUSY", SocketError.SocketError),
        [EEXIST] = ("EEXIST", SocketError.SocketError),
        [ENODEV] = ("ENODEV", SocketError.SocketError),
        [EINVAL] = ("EINVAL", SocketError.InvalidArgument),
        [ENFILE] = ("ENFILE", SocketError.TooManyOpenSockets),
        [EMFILE] = ("EMFILE", SocketError.TooManyOpenSockets),
        [EPIPE] = ("EPIPE", SocketError.Shutdown),
        [ERANGE] = ("ERANGE", SocketError.SocketError),
        [ENOSYS] = ("ENOSYS", SocketError.OperationNotSupported),
        [ENOTSOCK] = ("ENOTSOCK", SocketError.NotSocket),
        [EDESTADDRREQ] = ("EDESTADDRREQ", SocketError.DestinationAddressRequired),
        [EMSGSIZE] = ("EMSGSIZE", SocketError.MessageSize),
        [EPROTOTYPE] = ("EPROTOTYPE", SocketError.ProtocolType),
        [ENOPROTOOPT] = ("ENOPROTOOPT", SocketError.ProtocolOption),
        [EPROTONOSUPPORT] = ("EPROTONOSUPPORT", SocketError.ProtocolNotSupported),
        [EOPNOTSUPP] = ("EOPNOTSUPP", SocketError.OperationNotSupported),
        [EAFNOSUPPORT] = ("EAFNOSUPPORT", SocketError.AddressFamilyNotSupported),
        [EADDRINUSE] = ("EADDRINUSE", SocketError.AddressAlreadyInUse),
        [EADDRNOTAVAIL] = ("EADDRNOTAVAIL", SocketError.AddressNotAvailable),
        [ENETDOWN] = ("ENETDOWN", SocketError.NetworkDown),
        [ENETUNREACH] = ("ENETUNREACH", SocketError.NetworkUnreachable),
        [ENETRESET] = ("ENETRESET", SocketError.NetworkReset),
        [ECONNABORTED] = ("ECONNABORTED", SocketError.ConnectionAborted),
        [ECONNRESET] = ("ECONNRESET", SocketError.ConnectionReset),
        [ENOBUFS] = ("ENOBUFS", SocketError.NoBufferSpaceAvailable),
        [EISCONN] = ("EISCONN", SocketError.IsConnected),
        [ENOTCONN] = ("ENOTCONN", SocketError.NotConnected),
        [ETIMEDOUT] = ("ETIMEDOUT", SocketError.TimedOut),
        [ECONNREFUSED] = ("ECONNREFUSED", SocketError.ConnectionRefused),
        [EHOSTDOWN] = ("EHOSTDOWN", SocketError.HostDown),
        [EHOSTUNREACH] = ("EHOSTUNREACH", SocketError.HostUnreachable),
        [EALREADY] = ("EALREADY", SocketError.AlreadyInProgress),
        [EINPROGRESS] = ("EINPROGRESS", SocketError.InProgress),
    };

    /// <summary>Every errno in the table (tests check it against .NET's own mapping).</summary>
    public static IEnumerable<int> Known => s_table.Keys;

    /// <summary>The errno's name ("ECONNREFUSED"), or "errno N" for one not in the table.</summary>
    public static string Name(int errno) => s_table.TryGetValue(errno, out var e) ? e.Name : $"errno {errno}";

    /// <summary>The errno as .NET's sockets name it; <see cref="SocketError.SocketError"/> when they have no name for it.</summary>
    public static SocketError ToSocketError(int errno) =>
        errno == 0 ? SocketError.Success : s_table.TryGetValue(errno, out var e) ? e.Socket : SocketError.SocketError;

    /// <summary>Name, text and number for a message: "ECONNREFUSED (errno 111, Connection refused)".</summary>
    public static string Describe(int errno) =>
        $"{Name(errno)} (errno {errno}, {System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)})";

    /// <summary>The errno of the last failed call made through <see cref="Libc"/>.</summary>
    public static int Last => System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
}
