using LvsPs.Interop;

namespace LvsPs.DirectorService;

/// <summary>What is at a path, without following a symbolic link there (statx with AT_SYMLINK_NOFOLLOW).</summary>
internal static class UnixFiles
{
    private const uint StatxType = 0x1, StatxUid = 0x8; // linux/stat.h STATX_TYPE, STATX_UID
    private const int SFmt = 0xF000;               // sys/stat.h S_IFMT

    /// <summary>File types of st_mode (sys/stat.h S_IF*).</summary>
    public enum FileType
    {
        Socket = 0xC000,
        SymbolicLink = 0xA000,
        Regular = 0x8000,
        BlockDevice = 0x6000,
        Directory = 0x4000,
        CharacterDevice = 0x2000,
        Fifo = 0x1000,
    }

    public readonly record struct Status(FileType Type, uint OwnerId);


    /// <summary>The type and owner of what is at <paramref name="path"/> itself (a link is reported as a link); null when nothing is.</summary>
    /// <remarks>struct statx has one layout on every architecture (linux/stat.h): stx_uid at 20, stx_mode (u16) at 28; 256 bytes.</remarks>
    public static unsafe Status? LStat(string path)
    {
        byte* buffer = stackalloc byte[256];
        if (Libc.Statx(Libc.AT_FDCWD, path, Libc.AT_SYMLINK_NOFOLLOW, StatxType | StatxUid, buffer) != 0)
        {
            int errno = Errno.Last;
            if (errno == Errno.ENOENT) return null;
            throw new IOException($"Cannot examine '{path}': {Errno.Describe(errno)}");
        }
        var mode = *(ushort*)(buffer + 28);
        var uid = *(uint*)(buffer + 20);
        return new Status((FileType)(mode & SFmt), uid);
    }
}
