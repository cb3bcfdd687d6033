using LvsPs.Interop;
using LvsPs.Model;

namespace LvsPs.Netlink.Transport;

/// <summary>
/// Runs code inside a named network namespace (/run/netns/NAME, as `ip netns add` creates it) on a thread of its own:
/// setns(2) changes only the calling thread, and a netlink socket created there stays in that namespace.
/// </summary>
public static class NetworkNamespace
{
    public const string Directory = "/run/netns";

    /// <summary>The path of a namespace given by name (or already as a path).</summary>
    public static string PathOf(string name)
    {
        if (name.StartsWith('/')) return name;
        if (name.Length == 0 || name.Contains('/') || name is "." or "..")
        {
            throw LvsException.InvalidArgument("InvalidNetworkNamespace", $"Network namespace name '{ValueText.Cut(name)}' is not valid; give a name from 'ip netns list' or a path such as /proc/PID/ns/net.", name);
        }
        return System.IO.Path.Combine(Directory, name);
    }

    /// <summary>Runs <paramref name="func"/> in the namespace (or right here when <paramref name="name"/> is null).</summary>
    public static T Run<T>(string? name, Func<T> func)
    {
        if (name is null) return func();
        string path = PathOf(name);
        T result = default!;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                int fd = Libc.Open(path, Libc.O_RDONLY | Libc.O_CLOEXEC);
                if (fd < 0)
                {
                    int e = Errno.Last;
                    throw e == Errno.ENOENT
                        ? new LvsException(LvsErrorKind.NotFound, "NetworkNamespaceNotFound", $"Network namespace '{name}' does not exist ({path}); create it with 'ip netns add {name}'.", name)
                        : new LvsException(LvsErrorKind.PermissionDenied, "NetworkNamespaceDenied", $"Network namespace '{name}' cannot be opened ({path}, {Errno.Describe(e)}); run as root.", name);
                }
                try
                {
                    if (Libc.SetNs(fd, Libc.CLONE_NEWNET) != 0)
                    {
                        int e = Errno.Last;
                        throw new LvsException(LvsErrorKind.PermissionDenied, "NetworkNamespaceDenied", $"Cannot enter network namespace '{name}' (setns: {Errno.Describe(e)}); this needs CAP_SYS_ADMIN: run as root.", name);
                    }
                }
                finally
                {
                    Libc.Close(fd);
                }
                result = func();
            }
            catch (Exception e)
            {
                error = e;
            }
        }) { IsBackground = true, Name = "LvsPs netns " + name };
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return result;
    }
}
