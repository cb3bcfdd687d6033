using LvsPs.Engine;
using LvsPs.Health;
using LvsPs.Model;
using LvsPs.Netlink;
using LvsPs.Remote;

namespace LvsPs.Directors;

/// <summary>
/// Builds every director LvsPs runs or reaches, for the session (the in-session managed director), for -Director and
/// Connect-LvsDirector (kernel IPVS, a director service) and for the director service itself (what it hosts). Callers
/// get <see cref="IDirectorBackend"/> and ask for capabilities (ISchedulingPreview, IFtpHelperCheck, IHealthMonitoring,
/// ...) by interface, never by concrete type.
/// </summary>
public static class DirectorFactory
{
    /// <summary>The backends a director service can host, as --backend takes them.</summary>
    public const string HostedKinds = "managed, kernel or kernel:NAMESPACE";

    /// <summary>The managed engine with its health checks (the in-session director).</summary>
    public static IDirectorBackend Managed(ManagedDirectorOptions? options = null, Action<string>? log = null) =>
        new HealthMonitor(new ManagedDirector(options), log);

    /// <summary>Kernel IPVS in this process's network namespace, or in the named one (/run/netns/NAME).</summary>
    public static IDirectorBackend Kernel(string? networkNamespace = null) => new KernelDirector(networkNamespace);

    /// <summary>The director service listening at <paramref name="socketPath"/>.</summary>
    public static RemoteDirector Service(string socketPath) => new(socketPath);

    /// <summary>
    /// What a director service hosts for <c>--backend</c> <paramref name="kind"/> (<see cref="HostedKinds"/>): the
    /// backend with its health checks. <paramref name="engine"/> is the managed engine when there is one (the service
    /// hands its listening sockets over on a restart).
    /// </summary>
    public static IDirectorBackend Hosted(string kind, ManagedDirectorOptions managedOptions, Action<string> log, out ManagedDirector? engine)
    {
        engine = null;
        IDirectorBackend inner = kind switch
        {
            "managed" => engine = new ManagedDirector(managedOptions),
            "kernel" => new KernelDirector(),
            _ when kind.StartsWith("kernel:", StringComparison.Ordinal) => new KernelDirector(kind["kernel:".Length..]),
            _ => throw LvsException.InvalidArgument("InvalidBackend", $"--backend '{ValueText.Cut(kind)}' is not {HostedKinds}", kind),
        };
        return new HealthMonitor(inner, log);
    }
}
