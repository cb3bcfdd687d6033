using System.Diagnostics;

namespace LvsPs.KernelTests;

/// <summary>A network namespace of the test's own (ip netns add), with helpers to run ipvsadm and ip inside it.</summary>
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
    public string Exec(params string[] args) => Host.Run(["ip", "netns", "exec", Name, .. args]);

    /// <summary>Runs a program inside the namespace with stdin.</summary>
    public string ExecInput(string input, params string[] args) => Host.RunWithInput(input, ["ip", "netns", "exec", Name, .. args]);

    public (int ExitCode, string Output) TryExec(params string[] args) => Host.TryRun(null, ["ip", "netns", "exec", Name, .. args]);

    public string Ipvsadm(params string[] args) => Exec(["ipvsadm", .. args]);

    /// <summary>Runs `ip` commands (one per line, without the leading "ip") inside the namespace in one process.</summary>
    public string Batch(string lines) => ExecInput(lines, "ip", "-batch", "-");

    /// <summary>Runs <paramref name="func"/> on a thread inside the namespace: sockets it creates live there.</summary>
    public T Enter<T>(Func<T> func) => LvsPs.Netlink.Transport.NetworkNamespace.Run(Name, func);

    /// <summary>Sets a sysctl of this namespace (net.* keys are per namespace), e.g. Sysctl("net.ipv4.ip_forward", "1").</summary>
    public void Sysctl(string key, string value) => Enter(() =>
    {
        File.WriteAllText("/proc/sys/" + key.Replace('.', '/'), value);
        return 0;
    });

    public void Dispose() => Host.TryRun(null, ["ip", "netns", "del", Name]);
}

public static class Host
{
    public static string Run(params string[] args) => RunWithInput(null, args);

    public static string RunWithInput(string? input, params string[] args)
    {
        var (code, output) = TryRun(input, args);
        if (code != 0) throw new InvalidOperationException($"'{string.Join(' ', args)}' failed ({code}): {output}");
        return output;
    }

    public static (int, string) TryRun(string? input, params string[] args)
    {
        var psi = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (input is not null)
        {
            p.StandardInput.Write(input);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within 60 s.");
        }
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
