namespace LvsPs.DirectorService.Failover;

/// <summary>Finds a program the service drives (keepalived, bird, birdc): on PATH or in the sbin folders Debian installs to.</summary>
internal static class ExternalTool
{
    public static string? Find(string name)
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(new[] { "/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin" });
        foreach (var dir in dirs)
        {
            var path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        return null;
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically: a new file with a random name in the same folder, then rename.</summary>
    public static void WriteAtomically(string path, string text)
    {
        var dir = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        // CreateNew: O_EXCL, so an existing file or symbolic link of that name is never followed
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(text);
            writer.Flush();
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Creates <paramref name="path"/> for this service only (0700) when it is missing, and refuses a folder that is a symbolic link.</summary>
    public static string PrivateDirectory(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.Exists && info.LinkTarget is not null) throw new IOException($"'{path}' is a symbolic link; the director service keeps its runtime files only in a real folder.");
        if (!info.Exists) Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
