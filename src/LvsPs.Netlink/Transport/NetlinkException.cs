namespace LvsPs.Netlink.Transport;

/// <summary>A failed system call or a kernel error reply, with its errno; the director maps it to an LvsException.</summary>
public sealed class NetlinkException : Exception
{
    public NetlinkException(int errno, string message) : base(message) => Errno = errno;

    /// <summary>The positive errno (EPERM 1, ENOENT 2, ...).</summary>
    public int Errno { get; }
}
