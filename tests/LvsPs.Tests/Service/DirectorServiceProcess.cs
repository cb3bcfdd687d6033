using System.Diagnostics;

namespace LvsPs.Tests.Service;

/// <summary>Runs the real director service as a child process with its own socket and state file.</summary>
internal sealed class DirectorServiceProcess : IDisposable
{
    private Process? _process;

    public DirectorServiceProcess(string folder)
    {
        Folder = folder;
        SocketPath = Path.Combine(folder, "run", "director.sock");
        StatePath = Path.Combine(folder, "state", "director.json");
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        probe.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        MetricsPort = ((System.Net.IPEndPoint)probe.LocalEndPoint!).Port;
    }

    public int MetricsPort { get; }

    public string Folder { get; }
    public string SocketPath { get; }
    public string StatePath { get; }
    public int Pid => _process?.Id ?? 0;

    public static DirectorServiceProcess StartNew()
    {
        var folder = Path.Combine(Path.GetTempPath(), "lvsps-svc-" + Guid.NewGuid().ToString("N")[..8]);
        var p = new DirectorServiceProcess(folder);
        p.Start();
        return p;
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _stderr = new();

    /// <summary>What the service wrote to standard error (its log) so far.</summary>
    public string StandardError => string.Join("\n", _stderr);

    private Process Launch(string[] extra)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "LvsPs.DirectorService.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--socket");
        psi.ArgumentList.Add(SocketPath);
        psi.ArgumentList.Add("--state");
        psi.ArgumentList.Add(StatePath);
        psi.ArgumentList.Add("--metrics");
        psi.ArgumentList.Add("127.0.0.1:" + MetricsPort);
        foreach (var a in extra) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>Starts the service and expects it to refuse: its exit code (within 30 s) and what it said.</summary>
    public (int ExitCode, string Error) StartExpectingExit(params string[] extra)
    {
        using var process = Launch(extra);
        if (!process.WaitForExit(30000))
        {
            process.Kill();
            throw new TimeoutException("The director service did not exit.");
        }
        process.WaitForExit(); // the end of its output
        return (process.ExitCode, StandardError);
    }

    public void Start(params string[] extra)
    {
        _process = Launch(extra);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Accepts(SocketPath))
        {
            if (_process.HasExited) throw new InvalidOperationException($"The director service exited with {_process.ExitCode}: {StandardError}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The director service did not create its socket.");
            Thread.Sleep(50);
        }
    }

    private static bool Accepts(string path)
    {
        if (!File.Exists(path)) return false; // a stale file from a killed service is replaced when the new one binds
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        try
        {
            probe.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    /// <summary>kill -9: no chance to clean up or save anything.</summary>
    public void Kill()
    {
        _process?.Kill();
        _process?.WaitForExit(10000);
    }

    /// <summary>SIGTERM, as systemd stops it; waits for a clean exit.</summary>
    public int Terminate()
    {
        Process.Start("kill", new[] { "-TERM", _process!.Id.ToString() })!.WaitForExit();
        _process.WaitForExit(15000);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false }) Kill();
        _process?.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
