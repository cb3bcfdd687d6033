namespace LvsPs.TestBackends;

/// <summary>
/// A network namespace of the test's own (ip netns add), deleted on Dispose, with helpers to run programs and code
/// inside it. The static helpers work on any namespace by name (a topology that made its namespaces in one
/// <c>ip -batch</c> run uses them too).
/// </summary>
public sealed class Namespace : IDisposable
{
    public Namespace()
    {
        Name = "lvsps-" + Guid.NewGuid().ToString("N")[..10];
        Host.Run("ip", "netns", "add", Name);
        Exec("ip", "link", "set", "lo", "up");
    }

    public string Name { get; }

    /// <summary>Runs a program inside the namespace; throws with its output when it fails.</summary>
    public string Exec(params string[] args) => ExecIn(Name, args);

    /// <summary>Runs a program inside the namespace with stdin.</summary>
    public string ExecInput(string input, params string[] args) => Host.RunWithInput(input, ["ip", "netns", "exec", Name, .. args]);

    public (int ExitCode, string Output) TryExec(params string[] args) => Host.TryRun(null, ["ip", "netns", "exec", Name, .. args]);

    public string Ipvsadm(params string[] args) => Exec(["ipvsadm", .. args]);

    /// <summary>Runs `ip` commands (one per line, without the leading "ip") inside the namespace in one process.</summary>
    public string Batch(string lines) => ExecInput(lines, "ip", "-batch", "-");

    /// <summary>Runs <paramref name="func"/> on a thread inside the namespace: sockets it creates live there.</summary>
    public T Enter<T>(Func<T> func) => Enter(Name, func);

    /// <summary>Sets a sysctl of this namespace (net.* keys are per namespace), e.g. Sysctl("net.ipv4.ip_forward", "1").</summary>
    public void Sysctl(string key, string value) => Sysctl(Name, key, value);

    public void Dispose() => Host.TryRun(null, ["ip", "netns", "del", Name]);

    /// <summary>Runs a program inside namespace <paramref name="ns"/>; throws with its output when it fails.</summary>
    public static string ExecIn(string ns, params string[] args) => Host.Run(["ip", "netns", "exec", ns, .. args]);

    /// <summary>Runs <paramref name="func"/> on a thread inside namespace <paramref name="ns"/>.</summary>
    public static T Enter<T>(string ns, Func<T> func) => LvsPs.Netlink.Transport.NetworkNamespace.Run(ns, func);

    /// <summary>Sets a sysctl inside <paramref name="ns"/> without starting a process.</summary>
    public static void Sysctl(string ns, string key, string value) => Enter(ns, () =>
    {
        File.WriteAllText("/proc/sys/" + key.Replace('.', '/'), value);
        return 0;
    });
}
