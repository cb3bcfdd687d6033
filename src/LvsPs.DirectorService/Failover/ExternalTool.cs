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

    /// <summary>Creates <paramref name="path"/> for this service only (0700) when it is missing, and refuses a folder that is a symbolic link.</summary>
    public static string PrivateDirectory(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.Exists && info.LinkTarget is not null) throw new IOException($"'{path}' is a symbolic link; the director service keeps its runtime files only in a real folder.");
        if (!info.Exists) Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }
}
