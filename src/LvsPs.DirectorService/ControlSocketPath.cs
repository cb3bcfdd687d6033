using System.Net.Sockets;
using LvsPs.Model;

namespace LvsPs.DirectorService;

/// <summary>
/// Makes a control socket path ready to bind without harming what is there. A missing folder is created owner-only
/// (0700); an existing folder (say /tmp) is used as it is and never chmod-ed: the socket's own mode (0600) and the peer
/// check keep others out. The only file removed is a stale socket of this user: a socket nobody answers on, left by
/// a killed service. Anything else at the path is refused with a message that says what is there.
/// </summary>
internal static class ControlSocketPath
{
    /// <summary>Prepares <paramref name="path"/>; throws an <see cref="LvsException"/> when it cannot be used.</summary>
    public static void Prepare(string path, uint owner)
    {
        var dir = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(dir)) Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (UnixFiles.LStat(path) is not { } existing) return;
        if (existing.Type != UnixFiles.FileType.Socket)
        {
            throw new LvsException(LvsErrorKind.ResourceBusy, "ControlSocketPathTaken",
                $"The control socket path '{path}' is taken by a {Describe(existing.Type)}; the director service removes only a stale socket of its own. Give another socket path, or remove it yourself.", path);
        }
        if (existing.OwnerId != owner)
        {
            throw new LvsException(LvsErrorKind.PermissionDenied, "ControlSocketPathTaken",
                $"The control socket path '{path}' is a socket of uid {existing.OwnerId}, not of this user (uid {owner}); it is left alone. Give another socket path.", path);
        }
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            File.Delete(path); // stale: a socket of ours nobody answers on
            return;
        }
        throw new LvsException(LvsErrorKind.ResourceBusy, "DirectorServiceAlreadyRunning",
            $"A director service is already listening at '{path}'. Stop it first (Stop-LvsDirector -Service -SocketPath '{path}'), or give another socket path.", path);
    }

    private static string Describe(UnixFiles.FileType type) => type switch
    {
        UnixFiles.FileType.SymbolicLink => "symbolic link",
        UnixFiles.FileType.Regular => "regular file",
        UnixFiles.FileType.Directory => "directory",
        UnixFiles.FileType.Fifo => "FIFO",
        _ => type.ToString().ToLowerInvariant(),
    };
}
