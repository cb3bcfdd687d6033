using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LvsPs.TestBackends;

/// <summary>
/// A child process that a test starts (a director service, an FTP server) and that ends with the test process, however
/// that ends: the program runs under a small /bin/sh reaper whose stdin is a pipe from this process. When the test
/// process exits, is killed (kill -9 included) or disposes this object, the pipe closes, the reaper's read returns
/// and it kills the program with SIGKILL. <see cref="Pid"/> is the program's own process id (not the reaper's), so a
/// test can signal the program itself (kill -9, SIGTERM) as an operator would.
/// </summary>
public sealed partial class ReapedProcess : IDisposable
{
    // The program gets /dev/null as stdin; a watcher subshell reads the pipe (kept on fd 3) and kills the program when
    // it closes; the reaper reports the program's pid on stderr, waits for it and exits with its exit status.
    private const string Reaper =
        "exec 3<&0 </dev/null\n" +
        "\"$@\" 3<&- &\n" +
        "c=$!\n" +
        "echo \"lvsps-reaper-pid $c\" >&2\n" +
        "( read _ignored <&3; kill -9 \"$c\" 2>/dev/null ) &\n" +
        "w=$!\n" +
        "exec 3<&-\n" +
        "wait \"$c\"; rc=$?\n" +
        "kill \"$w\" 2>/dev/null\n" +
        "exit $rc\n";

    private readonly Process _reaper;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly TaskCompletionSource<int> _pid = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _disposed;

    private ReapedProcess(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in new[] { "-c", Reaper, "lvsps-reaper", fileName }.Concat(arguments)) psi.ArgumentList.Add(a);
        if (environment is not null)
        {
            foreach (var (k, v) in environment) psi.Environment[k] = v;
        }
        _reaper = Process.Start(psi) ?? throw new InvalidOperationException($"could not start /bin/sh for {fileName}");
        _reaper.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _reaper.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            var m = PidLine().Match(e.Data);
            if (m.Success) _pid.TrySetResult(int.Parse(m.Groups[1].Value));
            else _output.Enqueue(e.Data);
        };
        _reaper.BeginOutputReadLine();
        _reaper.BeginErrorReadLine();
        if (!_pid.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            Dispose();
            throw new TimeoutException($"the reaper did not start {fileName} within 30 s");
        }
        Pid = _pid.Task.Result;
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> under a reaper.</summary>
    public static ReapedProcess Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null) =>
        new(fileName, arguments, environment);

    /// <summary>The program's process id.</summary>
    public int Pid { get; }

    /// <summary>What the program wrote to stdout and stderr so far (for failure messages).</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>True while the program runs (the reaper exits when it does).</summary>
    public bool HasExited => _reaper.HasExited;

    /// <summary>The program's exit status once it ended (128 + the signal's number when a signal ended it).</summary>
    public int ExitCode => _reaper.ExitCode;

    /// <summary>Waits up to <paramref name="waitMs"/> for the program to end by itself; true when it ended.</summary>
    public bool WaitForExit(int waitMs)
    {
        if (!_reaper.WaitForExit(waitMs)) return false;
        _reaper.WaitForExit(); // and for the end of its output, which the timed wait does not wait for
        return true;
    }

    /// <summary>Sends <paramref name="signal"/> (e.g. "KILL", "TERM") to the program itself and waits up to <paramref name="waitMs"/> for it to end; true when it ended.</summary>
    public bool Signal(string signal, int waitMs = 15_000)
    {
        using (var kill = Process.Start("kill", ["-" + signal, Pid.ToString()])!)
        {
            kill.WaitForExit(10_000);
        }
        return _reaper.WaitForExit(waitMs);
    }

    /// <summary>kill -9 the program and closes the reaper.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            _reaper.StandardInput.Close(); // the reaper's read returns: it kills the program if it still runs
        }
        catch (IOException)
        {
        }
        if (!_reaper.WaitForExit(15_000)) _reaper.Kill(entireProcessTree: true);
        _reaper.Dispose();
    }

    /// <summary>
    /// Kills process <paramref name="pid"/> (SIGKILL) when this test process ends, however it ends, or when the
    /// returned watch is disposed, unless it has ended by then: for processes a test has started by other means (a
    /// director service started by Start-LvsDirector -Service). A /bin/sh watcher reads a pipe from this process; when
    /// the pipe closes it kills the process if /proc still shows the same process (its start time), never a new one
    /// that reused the pid.
    /// </summary>
    public static IDisposable KillWithThisProcess(int pid)
    {
        string start = StartTime(pid) ?? throw new ArgumentException($"no process {pid}", nameof(pid));
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("read _ignored; s=$(sed 's/.*) //' /proc/$1/stat 2>/dev/null | cut -d' ' -f20); [ \"$s\" = \"$2\" ] && kill -9 $1; exit 0");
        psi.ArgumentList.Add("lvsps-watch");
        psi.ArgumentList.Add(pid.ToString());
        psi.ArgumentList.Add(start);
        return new Watch(Process.Start(psi) ?? throw new InvalidOperationException("could not start /bin/sh"));
    }

    /// <summary>The process at the other end of a Unix socket (SO_PEERCRED): the server listening at <paramref name="socketPath"/>.</summary>
    public static int SocketOwner(string socketPath)
    {
        using var s = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        LoopbackClient.Connect(s, new System.Net.Sockets.UnixDomainSocketEndPoint(socketPath));
        var credentials = new byte[12]; // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        s.GetRawSocketOption(1 /* SOL_SOCKET */, 17 /* SO_PEERCRED */, credentials);
        return BitConverter.ToInt32(credentials, 0);
    }

    /// <summary>Field 22 of /proc/PID/stat (the start time in clock ticks), read after the command name's closing parenthesis.</summary>
    private static string? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[19];
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed class Watch(Process watcher) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                watcher.StandardInput.Close();
            }
            catch (IOException)
            {
            }
            if (!watcher.WaitForExit(10_000)) watcher.Kill();
            watcher.Dispose();
        }
    }

    [GeneratedRegex(@"^lvsps-reaper-pid (\d+)$")]
    private static partial Regex PidLine();
}
