using LvsPs.Engine.Bpf;
using LvsPs.Engine.Loop;

namespace LvsPs.Engine.Tcp;

/// <summary>
/// Chooses, once when a director starts, how its plain TCP connections are relayed: the BPF sockmap fast path when it
/// is allowed (<see cref="ManagedDirectorOptions.FastPath"/>) and loads (bpf(2) needs root, or CAP_BPF and
/// CAP_NET_ADMIN: /proc/sys/kernel/unprivileged_bpf_disabled), else splice(2) on the event loop, else .NET's sockets.
/// Loading is the test of permission: whatever the kernel refuses sends the director to splice, with the reason.
/// </summary>
internal static class RelayPathChoice
{
    public const string Sockmap = "sockmap", Splice = "splice", Async = "async";

    private const int MaxReasonLength = 400;

    /// <param name="options">The director's options (FastPath, FastPathConnections, FastPathProgram).</param>
    /// <param name="tcpLoops">The loops TCP is relayed on; null when it takes .NET's asynchronous path.</param>
    public static (SockmapFastPath? Path, string Name, string Reason) Choose(ManagedDirectorOptions options, EventLoopGroup? tcpLoops)
    {
        if (!options.UseEventLoop || !OperatingSystem.IsLinux())
            return (null, Async, "the engine's event loop is off (UseEventLoop false, or not Linux): .NET asynchronous sockets");
        if (tcpLoops is null)
            return (null, Async, "splice(2) or epoll(7) is not available: .NET asynchronous sockets");
        if (options.FastPath == FastPath.Off)
            return (null, Splice, "the BPF fast path is turned off (FastPath Off)");
        try
        {
            var path = SockmapFastPath.Create(options.FastPathConnections, options.FastPathJoin, options.FastPathProgram);
            return (path, Sockmap, $"plain TCP relays (up to {options.FastPathConnections} at once) are moved by a BPF sockmap " +
                $"stream verdict program from {Describe(options.FastPathJoin)}; until then, and for services with a helper, " +
                "content rules, PROXY protocol or transparent mode, they are spliced");
        }
        catch (BpfException e)
        {
            string why = e.Errno == BpfSyscalls.EPERM
                ? "bpf(2) is not permitted (needs root, or CAP_BPF and CAP_NET_ADMIN)"
                : e.Message;
            if (why.Length > MaxReasonLength) why = why[..MaxReasonLength] + "...";
            return (null, Splice, "the BPF fast path is off: " + why);
        }
    }

    private static string Describe(FastPathJoin join) => join.AtOnce
        ? "the moment they are connected"
        : $"their {Ordinal(join.Turns)} change of direction" +
          (join.MaxRunBytes > 0 ? $" when no run of bytes one way was over {join.MaxRunBytes / 1024} KiB (bulk stays spliced)" : "");

    private static string Ordinal(int n) => n switch { 1 => "first", 2 => "second", 3 => "third", _ => $"{n}th" };
}
