using System.Net.Sockets;

namespace LvsPs.TestBackends;

/// <summary>
/// The real director service (LvsPs.DirectorService.dll beside the test assembly) as a child process with its own
/// socket and state file in a folder of its own, under a <see cref="ReapedProcess"/> so that it never outlives the
/// test process. Restartable: <see cref="Kill"/> or <see cref="Terminate"/>, then <see cref="Start"/> again on the
/// same socket and state file.
/// </summary>
public sealed class DirectorServiceProcess : IDisposable
{
    private readonly string _backend;
    private readonly string _metrics;
    private ReapedProcess? _process;

    /// <param name="folder">Where the socket (run/director.sock) and the state file (state/director.json) go; deleted on dispose.</param>
    /// <param name="backend">The service's --backend: managed, kernel or kernel:NAMESPACE.</param>
    /// <param name="metrics">The service's --metrics: ADDRESS:PORT, or off.</param>
    public DirectorServiceProcess(string folder, string backend = "managed", string metrics = "off")
    {
        Folder = folder;
        SocketPath = Path.Combine(folder, "run", "director.sock");
        StatePath = Path.Combine(folder, "state", "director.json");
        _backend = backend;
        _metrics = metrics;
    }

    public string Folder { get; }
    public string SocketPath { get; }
    public string StatePath { get; }
    public int Pid => _process?.Pid ?? 0;

    /// <summary>What the service logged (for failure messages).</summary>
    public string Output => _process?.Output ?? "";

    /// <summary>A service in a fresh temporary folder, started.</summary>
    public static DirectorServiceProcess StartNew(string backend = "managed", string metrics = "off")
    {
        var p = new DirectorServiceProcess(Path.Combine(Path.GetTempPath(), "lvsps-svc-" + Guid.NewGuid().ToString("N")[..8]), backend, metrics);
        try
        {
            p.Start();
        }
        catch
        {
            p.Dispose();
            throw;
        }
        return p;
    }

    private ReapedProcess Launch(string[] extra)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("the director service already runs");
        _process?.Dispose();
        var dll = Path.Combine(AppContext.BaseDirectory, "LvsPs.DirectorService.dll");
        return _process = ReapedProcess.Start("dotnet", [dll, "--socket", SocketPath, "--state", StatePath, "--metrics", _metrics, "--backend", _backend, .. extra]);
    }

    /// <summary>Starts the service and expects it to refuse: its exit code (within 180 s) and what it said.</summary>
    public (int ExitCode, string Error) StartExpectingExit(params string[] extra)
    {
        var process = Launch(extra);
        if (!process.WaitForExit(180_000)) throw new TimeoutException("The director service did not exit: " + process.Output);
        return (process.ExitCode, process.Output);
    }

    /// <summary>
    /// Starts the service (with <paramref name="extra"/> arguments) and waits (at most 180 s) until its control socket
    /// accepts connections: a .NET start takes about a minute in the emulated kernel guest when the host is loaded.
    /// </summary>
    public void Start(params string[] extra)
    {
        Launch(extra);
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (!Accepts(SocketPath))
        {
            if (_process!.HasExited) throw new InvalidOperationException($"The director service exited with {_process.ExitCode}: {_process.Output}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The director service did not create its socket: " + _process.Output);
            Thread.Sleep(50);
        }
    }

    private static bool Accepts(string path)
    {
        if (!File.Exists(path)) return false; // a stale file from a killed service is replaced when the new one binds
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            LoopbackClient.Connect(probe, new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>kill -9: no chance to clean up or save anything.</summary>
    public void Kill()
    {
        if (_process is { } p && !p.Signal("KILL")) throw new TimeoutException("the director service did not die of SIGKILL");
    }

    /// <summary>SIGTERM, as systemd stops it; waits for a clean exit and returns the exit code.</summary>
    public int Terminate()
    {
        var p = _process ?? throw new InvalidOperationException("the director service was never started");
        if (!p.Signal("TERM")) throw new TimeoutException("the director service did not stop within 15 s of SIGTERM: " + p.Output);
        return p.ExitCode;
    }

    public void Dispose()
    {
        _process?.Dispose(); // the reaper kills it if it still runs
        _process = null;
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
