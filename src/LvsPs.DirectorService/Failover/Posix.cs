using System.Runtime.InteropServices;

namespace LvsPs.DirectorService.Failover;

/// <summary>The few system calls the keepalived and BIRD drivers need that .NET has no API for.</summary>
internal static partial class Posix
{
    public const int SIGHUP = 1, SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "mkfifo", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MakeFifo(string path, uint mode);
}
