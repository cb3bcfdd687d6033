using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
namespace LvsPs.TestBackends;

/// <summary>
/// A topology of the test's own: one bridge in the root namespace and a namespace per host, each with a veth pair whose
/// far end is the namespace's eth0 on a private /24. Everything it made is removed by name on Dispose. Used by the xunit
/// failover and scale-out tests and by the Pester BGP tests (tests/Pester/Bgp.Tests.ps1), which load this assembly.
/// </summary>
public sealed class NetLab : IDisposable
{
    private readonly string _tag = Guid.NewGuid().ToString("N")[..6];
    private readonly List<string> _namespaces = new();
    private readonly List<string> _links = new();
    private readonly List<Process> _processes = new();

    public NetLab(string prefix)
    {
        Prefix = prefix;
        Bridge = "lvb" + _tag;
        Run("ip", "link", "add", Bridge, "type", "bridge");
        _links.Add(Bridge);
        Run("ip", "link", "set", Bridge, "up");
    }

    /// <summary>The /24 the hosts live on, e.g. "10.77.0".</summary>
    public string Prefix { get; }

    public string Bridge { get; }

    /// <summary>Adds a host with address PREFIX.<paramref name="host"/>/24 on its eth0; returns the namespace's name.</summary>
    public string AddHost(string role, int host)
    {
        var ns = $"lv{role}{_tag}";
        var outside = $"lv{role}{_tag}x";
        // two `ip -batch` runs per host: every process costs about a second in the emulated kernel-suite guest
        _namespaces.Add(ns);
        _links.Add(outside);
        RunWithInput($"netns add {ns}\nlink add {outside} type veth peer name eth0 netns {ns}\nlink set {outside} master {Bridge} up\n", "ip", "-batch", "-");
        RunWithInput($"link set lo up\naddr add {Prefix}.{host}/24 dev eth0\nlink set eth0 up\n", "ip", "-n", ns, "-batch", "-");
        return ns;
    }

    /// <summary>Sets a sysctl inside <paramref name="ns"/> (net.* keys are per namespace) without starting a process.</summary>
    public static void Sysctl(string ns, string key, string value) => Namespace.Sysctl(ns, key, value);

    public string In(string ns, params string[] args) => Namespace.ExecIn(ns, args);

    /// <summary>True when <paramref name="address"/> is on <paramref name="ns"/>'s eth0.</summary>
    public bool Owns(string ns, string address) =>
        In(ns, "ip", "-br", "addr", "show", "dev", "eth0").Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(w => w.StartsWith(address + "/", StringComparison.Ordinal));

    /// <summary>Starts a long-running program inside <paramref name="ns"/>; it is killed on Dispose.</summary>
    public Process Start(string ns, Action<string>? log, params string[] args)
    {
        var psi = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "netns", "exec", ns }.Concat(args)) psi.ArgumentList.Add(a);
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) log?.Invoke(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        lock (_processes) _processes.Add(p);
        return p;
    }

    /// <summary>Creates a socket inside <paramref name="ns"/> (a socket stays in the namespace it was made in).</summary>
    public static Socket SocketIn(string ns, AddressFamily family, SocketType type, ProtocolType protocol) =>
        Namespace.Enter(ns, () => new Socket(family, type, protocol));

    /// <summary>One request through <paramref name="target"/> from <paramref name="ns"/>: connect, send, read the echo; false on any failure within the timeout.</summary>
    public static bool Echo(string ns, IPEndPoint target, TimeSpan timeout)
    {
        using var s = SocketIn(ns, target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            s.SendTimeout = s.ReceiveTimeout = (int)timeout.TotalMilliseconds;
            var connect = s.ConnectAsync(target);
            if (!connect.Wait(timeout)) return false;
            var payload = "ping\n"u8.ToArray();
            s.Send(payload);
            var buffer = new byte[payload.Length];
            int got = 0;
            while (got < buffer.Length)
            {
                int n = s.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
                if (n == 0) return false;
                got += n;
            }
            return buffer.AsSpan().SequenceEqual(payload);
        }
        catch (Exception e) when (e is SocketException or AggregateException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Runs a program on the host, bounded (apt-get may take minutes on a fresh machine, everything else a moment).</summary>
    public static string Run(params string[] args) => Host.RunWithin(TimeSpan.FromSeconds(600), null, args);

    /// <summary>Runs a program with <paramref name="input"/> on its standard input (ip -batch -).</summary>
    public static string RunWithInput(string input, params string[] args) => Host.RunWithin(TimeSpan.FromSeconds(600), input, args);

    /// <summary>
    /// Makes sure a Debian tool is there: installs its package when it is missing (as the kernel suite installs qemu).
    /// Returns null when it is there, else why not; in CI (CI=true) a tool that cannot be installed is a failure.
    /// </summary>
    public static string? Require(string tool, string package)
    {
        if (Tools.Find(tool) is not null) return null;
        try
        {
            try
            {
                Run("apt-get", "install", "-y", "-q", "--no-install-recommends", package);
            }
            catch (InvalidOperationException)
            {
                // a fresh machine may have no package lists yet
                Run("apt-get", "update", "-q");
                Run("apt-get", "install", "-y", "-q", "--no-install-recommends", package);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            var why = $"{tool} is missing and 'apt-get install -y {package}' failed: {e.Message}";
            if (Environment.GetEnvironmentVariable("CI") == "true") throw new InvalidOperationException(why);
            return why;
        }
        return Tools.Find(tool) is null ? $"{tool} is still missing after installing {package}" : null;
    }

    /// <summary>keepalived processes the services started, found by their pid files (they die with the service; this is the safety net).</summary>
    public static void KillLeftovers(string folder)
    {
        foreach (var pidFile in Directory.EnumerateFiles(folder, "*.pid", SearchOption.AllDirectories))
        {
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid))
            {
                try
                {
                    using var p = Process.GetProcessById(pid);
                    p.Kill();
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_processes)
        {
            foreach (var p in _processes)
            {
                try
                {
                    if (!p.HasExited) p.Kill(entireProcessTree: true);
                    p.WaitForExit(10_000);
                }
                catch (InvalidOperationException)
                {
                }
                p.Dispose();
            }
        }
        foreach (var ns in _namespaces) TryRun("ip", "netns", "del", ns);
        foreach (var link in _links) TryRun("ip", "link", "del", link);
    }

    private static void TryRun(params string[] args)
    {
        try
        {
            Run(args);
        }
        catch (InvalidOperationException)
        {
        }
    }
}

/// <summary>Where Debian puts the tools the failover tests drive.</summary>
public static class Tools
{
    public static string? Find(string name) =>
        new[] { "/usr/sbin", "/sbin", "/usr/bin", "/bin" }.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
