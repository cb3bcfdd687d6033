using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Interop;

namespace LvsPs.DirectorService;

/// <summary>The user on the other end of a Unix domain socket (SO_PEERCRED), and this process's effective user.</summary>
internal static class PeerCredentials
{
    public static uint EffectiveUserId => Libc.GetEffectiveUserId();

    /// <summary>The peer's process id from struct ucred, or null if the kernel did not say.</summary>
    public static int? PeerProcessId(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            return socket.GetRawSocketOption(Libc.SOL_SOCKET, Libc.SO_PEERCRED, ucred) >= 4 ? MemoryMarshal.Read<int>(ucred) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>The peer's uid from struct ucred { pid_t pid; uid_t uid; gid_t gid; }, or null if the kernel did not say.</summary>
    public static uint? PeerUserId(Socket socket)
    {
        Span<byte> ucred = stackalloc byte[12];
        try
        {
            return socket.GetRawSocketOption(Libc.SOL_SOCKET, Libc.SO_PEERCRED, ucred) >= 8 ? MemoryMarshal.Read<uint>(ucred[4..]) : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
