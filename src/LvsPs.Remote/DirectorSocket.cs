namespace LvsPs.Remote;

/// <summary>Where a director service's control socket is by default.</summary>
public static class DirectorSocket
{
    /// <summary>
    /// /run/lvsps/director.sock for root; otherwise $XDG_RUNTIME_DIR/lvsps/director.sock, or
    /// ~/.local/state/lvsps/director.sock where there is no runtime directory.
    /// </summary>
    public static string DefaultPath
    {
        get
        {
            if (Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root") return "/run/lvsps/director.sock";
            var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
            if (!string.IsNullOrEmpty(runtime)) return Path.Combine(runtime, "lvsps", "director.sock");
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "lvsps", "director.sock");
        }
    }
}
