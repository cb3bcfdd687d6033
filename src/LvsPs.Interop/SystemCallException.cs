using System.Net.Sockets;

namespace LvsPs.Interop;

/// <summary>A system call failed with <see cref="Errno"/>: the message names the call and the error (e.g.
/// "connect failed: ECONNREFUSED (errno 111, Connection refused)"), <see cref="SocketError"/> is the same error as .NET's sockets name it.</summary>
internal sealed class SystemCallException : IOException
{
    public SystemCallException(string call, int errno)
        : base($"{call} failed: {LvsPs.Interop.Errno.Describe(errno)}.")
    {
        Call = call;
        Errno = errno;
    }

    /// <summary>The system call that failed (connect, splice, ...).</summary>
    public string Call { get; }

    /// <summary>The errno it returned.</summary>
    public int Errno { get; }

    /// <summary>The errno as .NET's <see cref="System.Net.Sockets.SocketError"/>.</summary>
    public SocketError SocketError => LvsPs.Interop.Errno.ToSocketError(Errno);
}
