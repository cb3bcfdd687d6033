using System.Diagnostics;

namespace LvsPs.TestBackends;

/// <summary>Runs programs on the host for tests (ip, ipvsadm, apt-get), bounded in time, with their output.</summary>
public static class Host
{
    /// <summary>How long a program may take unless a caller says otherwise: everything the tests run takes a moment.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Runs a program; throws with its output when it fails.</summary>
    public static string Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs a program with <paramref name="input"/> on its standard input (ip -batch -); throws with its output when it fails.</summary>
    public static string RunWithInput(string? input, params string[] args) => RunWithin(DefaultTimeout, input, args);

    /// <summary>As <see cref="RunWithInput"/>, bounded by <paramref name="timeout"/> (apt-get may take minutes on a fresh machine).</summary>
    public static string RunWithin(TimeSpan timeout, string? input, params string[] args)
    {
        var (code, stdout, stderr) = Execute(timeout, input, args);
        if (code != 0) throw new InvalidOperationException($"'{string.Join(' ', args)}' failed ({code}): {stdout}{stderr}");
        return stdout;
    }

    /// <summary>Runs a program and gives its exit code and output (standard output, then standard error).</summary>
    public static (int, string) TryRun(string? input, params string[] args)
    {
        var (code, stdout, stderr) = Execute(DefaultTimeout, input, args);
        return (code, stdout + stderr);
    }

    private static (int Code, string Stdout, string Stderr) Execute(TimeSpan timeout, string? input, string[] args)
    {
        var psi = new ProcessStartInfo(args[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (var a in args.Skip(1)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        if (input is not null)
        {
            p.StandardInput.Write(input);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(true);
            throw new TimeoutException($"'{string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:0} s.");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
