using System.Security.Cryptography;

namespace LvsPs.Model.IO;

/// <summary>
/// The one way LvsPs writes a file that must be whole and must not be redirected: the content goes to a temporary in
/// the same folder with an unpredictable name, created exclusively (FileMode.CreateNew is open(2) with
/// O_CREAT|O_EXCL, which fails on any existing name, a symbolic link included, so a link planted there is never
/// followed: POSIX open(), "If O_CREAT and O_EXCL are set ... symbolic links are not followed"), owner-only by default,
/// flushed to disk, then renamed over the target. rename(2) replaces the directory entry, so a symbolic link planted
/// at the target is replaced, not written through; and a crash at any moment leaves either the old or the new file.
/// </summary>
public static class AtomicFile
{
    /// <summary>Owner read/write: what a configuration holding addresses and commands should be.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Writes <paramref name="text"/> (UTF-8, no byte order mark) to <paramref name="path"/> atomically.</summary>
    public static void WriteText(string path, string text, UnixFileMode mode = OwnerOnly) =>
        Write(path, stream => stream.Write(new System.Text.UTF8Encoding(false).GetBytes(text)), mode);

    /// <summary>
    /// Writes <paramref name="path"/> atomically with what <paramref name="write"/> puts in the stream. The folder is
    /// created (owner-only) when it does not exist; an existing folder's mode is never changed.
    /// </summary>
    public static void Write(string path, Action<Stream> write, UnixFileMode mode = OwnerOnly)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(dir);
            else Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var temp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Convert.ToHexString(RandomNumberGenerator.GetBytes(12)).ToLowerInvariant() + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = mode;
        bool created = false;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                created = true;
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch when (created)
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }
            throw;
        }
    }
}
