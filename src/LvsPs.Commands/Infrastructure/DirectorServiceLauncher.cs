using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.Commands;

/// <summary>
/// Starts the director service that ships with the module (service/LvsPs.DirectorService.dll) as a process of its own,
/// in a new session (setsid) so that it outlives this PowerShell, with its output appended to a log file beside its
/// socket; and finds a running one by its socket.
/// </summary>
internal static class DirectorServiceLauncher
{
    public static string ServiceAssembly =>
        Path.Combine(Path.GetDirectoryName(typeof(DirectorServiceLauncher).Assembly.Location)!, "service", "LvsPs.DirectorService.dll");

    /// <summary>The dotnet host that runs this process's runtime (shared/Microsoft.NETCore.App/VERSION is three levels below it).</summary>
    private static string DotnetHost
    {
        get
        {
            var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
            var host = Path.Combine(root, "dotnet");
            return File.Exists(host) ? host : "dotnet";
        }
    }

    /// <summary>True when something accepts connections on <paramref name="socketPath"/>.</summary>
    public static bool IsRunning(string socketPath)
    {
        if (!File.Exists(socketPath)) return false;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Starts the service and waits until its socket accepts; returns the log file's path. The service is watched while
    /// it starts: when it exits (a bad state file, a metrics port in use, no ip_vs) its own error from the log is thrown
    /// at once as DirectorServiceExited, not after the wait.
    /// </summary>
    public static string Start(string socketPath, IReadOnlyList<string> serviceArgs, TimeSpan wait)
    {
        var dll = ServiceAssembly;
        if (!File.Exists(dll))
        {
            throw new LvsException(LvsErrorKind.Unavailable, "DirectorServiceMissing", $"The director service is not installed with the module: '{dll}' does not exist.", dll);
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(socketPath))!;
        // created owner-only when LvsPs creates it; an existing folder keeps its mode
        if (!Directory.Exists(folder) && !OperatingSystem.IsWindows()) Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var log = Path.Combine(folder, "director.log");
        long logStart = File.Exists(log) ? new FileInfo(log).Length : 0;
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        // a new session, no terminal, output to the log: it survives this shell's exit and hang-up; its pid is printed
        psi.ArgumentList.Add("log=$1; shift; if command -v setsid >/dev/null; then (exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null) & else (exec \"$@\" >>\"$log\" 2>&1 </dev/null) & fi; echo $!");
        psi.ArgumentList.Add("lvsps-start");
        psi.ArgumentList.Add(log);
        psi.ArgumentList.Add(DotnetHost);
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--socket");
        psi.ArgumentList.Add(socketPath);
        foreach (var a in serviceArgs) psi.ArgumentList.Add(a);
        int pid;
        using (var shell = Process.Start(psi)!)
        {
            var said = shell.StandardOutput.ReadToEnd();
            shell.WaitForExit();
            pid = int.TryParse(said.Trim(), out var p) ? p : 0;
        }
        var deadline = DateTime.UtcNow + wait;
        while (!IsRunning(socketPath))
        {
            if (pid > 0 && !IsAlive(pid))
            {
                throw new LvsException(LvsErrorKind.Unavailable, "DirectorServiceExited",
                    $"The director service exited while starting: {WhatItSaid(log, logStart)} (log: {log})", socketPath);
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new LvsException(LvsErrorKind.Unavailable, "DirectorServiceDidNotStart",
                    $"The director service did not open '{socketPath}' within {wait.TotalSeconds} s; its log '{log}' says: {WhatItSaid(log, logStart)}", socketPath);
            }
            Thread.Sleep(50);
        }
        return log;
    }

    /// <summary>True while process <paramref name="pid"/> runs (not gone, not a zombie waiting to be reaped).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            // /proc/PID/stat: "pid (comm) state ...": the state follows the last ')'
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The service's own error lines from this start (its "LvsPs.DirectorService: ..." messages), else the last lines it wrote.</summary>
    private static string WhatItSaid(string log, long from)
    {
        string text;
        try
        {
            using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            stream.Seek(Math.Min(from, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream);
            var buffer = new char[16 * 1024];
            text = new string(buffer, 0, reader.ReadBlock(buffer));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "(its log cannot be read: " + e.Message + ")";
        }
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var own = lines.Where(l => l.StartsWith("LvsPs.DirectorService:", StringComparison.Ordinal)).Select(l => l["LvsPs.DirectorService:".Length..].Trim()).ToList();
        if (own.Count > 0) return string.Join(" ", own);
        var unhandled = lines.FirstOrDefault(l => l.StartsWith("Unhandled exception.", StringComparison.Ordinal));
        if (unhandled is not null) return unhandled;
        return lines.Length == 0 ? "nothing" : string.Join(" | ", lines.TakeLast(3));
    }
}
