using System.Diagnostics;
using LvsPs.Interop;

namespace LvsPs.DirectorService.Failover;

/// <summary>
/// A speaker the service runs as its child (keepalived, bird), with its output in the service's log. It is started
/// under setpriv --pdeathsig KILL, so it dies with the service even on kill -9; the parent-death signal belongs to the
/// thread that forked, so start it from a thread that lives as long as the service (the drivers' supervisor threads).
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly Process _process;
    private readonly string _name;
    private readonly Action<string> _log;

    private ChildProcess(Process process, string name, Action<string> log)
    {
        _process = process;
        _name = name;
        _log = log;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static ChildProcess Start(string binary, IEnumerable<string> args, string name, Action<string> log)
    {
        var all = new List<string>();
        string file = binary;
        if (ExternalTool.Find("setpriv") is { } setpriv)
        {
            file = setpriv;
            all.AddRange(new[] { "--pdeathsig", "KILL", "--", binary });
        }
        all.AddRange(args);
        var process = new Process { StartInfo = new ProcessStartInfo(file, all) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false } };
        process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) log(name + ": " + line); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) log(name + ": " + line); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log($"started {name} (pid {process.Id})");
        return new ChildProcess(process, name, log);
    }

    public void Signal(int signal) => Libc.Kill(_process.Id, signal);

    /// <summary>SIGTERM, so the speaker says goodbye to its peers; SIGKILL when it does not end within a few seconds.</summary>
    public void Stop()
    {
        if (!_process.HasExited)
        {
            Libc.Kill(_process.Id, Libc.SIGTERM);
            if (!_process.WaitForExit(StopGrace)) _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _log($"stopped {_name}");
    }

    public void Dispose() => _process.Dispose();
}
