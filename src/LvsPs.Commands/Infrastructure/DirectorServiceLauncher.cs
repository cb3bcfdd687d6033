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
    /// Starts the service and waits until its socket accepts; returns the log file's path. <c>moreArgs</c> are further
    /// service options as they are written on its command line (the status page's).
    /// </summary>
    public static string Start(string socketPath, string? statePath, string? metrics, string? backend, TimeSpan wait, IEnumerable<string>? moreArgs = null)
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
        var args = new List<string> { DotnetHost, dll, "--socket", socketPath };
        if (statePath is not null) args.AddRange(new[] { "--state", statePath });
        if (metrics is not null) args.AddRange(new[] { "--metrics", metrics });
        if (backend is not null) args.AddRange(new[] { "--backend", backend });
        if (moreArgs is not null) args.AddRange(moreArgs);
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        // a new session, no terminal, output to the log: it survives this shell's exit and hang-up
        psi.ArgumentList.Add("log=$1; shift; command -v setsid >/dev/null && exec setsid \"$@\" >>\"$log\" 2>&1 </dev/null & exit 0");
        psi.ArgumentList.Add("lvsps-start");
        psi.ArgumentList.Add(log);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using (var shell = Process.Start(psi)!) shell.WaitForExit();
        var deadline = DateTime.UtcNow + wait;
        while (!IsRunning(socketPath))
        {
            if (DateTime.UtcNow > deadline)
            {
                var tail = File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(3)) : "no log";
                throw new LvsException(LvsErrorKind.Unavailable, "DirectorServiceDidNotStart",
                    $"The director service did not open '{socketPath}' within {wait.TotalSeconds} s; its log '{log}' says: {tail}", socketPath);
            }
            Thread.Sleep(100);
        }
        return log;
    }
}
