namespace LvsPs.DirectorService.Failover;

/// <summary>
/// One long-lived thread that keeps a speaker (keepalived, bird) running as the service's child: it wakes when asked
/// (<see cref="Wake"/>) or once a second, notices a child that ended (it is forgotten and reported, so the next step
/// starts it again), runs the driver's step, and reports a step's failure instead of dying on it. The child is started,
/// signalled and stopped only from this thread: its parent-death signal belongs to the thread that forked it
/// (<see cref="ChildProcess"/>). When disposed, the thread stops the child and ends.
/// </summary>
internal sealed class ChildSupervisor : IDisposable
{
    private readonly Thread _thread;
    private readonly AutoResetEvent _wake = new(false);
    private readonly Action _step;
    private readonly Action<int> _ended;
    private readonly Action<Exception> _failed;
    private volatile bool _stopping;

    /// <param name="name">The thread's name.</param>
    /// <param name="step">What the driver does each time the thread wakes: start, reconfigure or stop the child.</param>
    /// <param name="ended">Told the exit code of a child that ended by itself (before the step that may restart it).</param>
    /// <param name="failed">Told what a step failed with (files, the child's start, the director).</param>
    public ChildSupervisor(string name, Action step, Action<int> ended, Action<Exception> failed)
    {
        _step = step;
        _ended = ended;
        _failed = failed;
        _thread = new Thread(Run) { IsBackground = true, Name = name };
    }

    /// <summary>The running child, or null (read and changed only on the supervisor thread).</summary>
    public ChildProcess? Child { get; private set; }

    /// <summary>Starts the thread (once the driver is ready for its first step).</summary>
    public void Start() => _thread.Start();

    /// <summary>Runs a step soon, not only at the next second.</summary>
    public void Wake() => _wake.Set();

    /// <summary>Starts the child (on the supervisor thread, from a step).</summary>
    public void StartChild(string binary, IEnumerable<string> args, string name, Action<string> log) => Child = ChildProcess.Start(binary, args, name, log);

    /// <summary>Stops the child with SIGTERM (SIGKILL when it does not end), if it runs.</summary>
    public void StopChild()
    {
        Child?.Stop();
        Child?.Dispose();
        Child = null;
    }

    private void Run()
    {
        while (true)
        {
            _wake.WaitOne(TimeSpan.FromSeconds(1));
            if (_stopping) break;
            try
            {
                if (Child is { HasExited: true } ended)
                {
                    var code = ended.ExitCode;
                    ended.Dispose();
                    Child = null;
                    _ended(code);
                }
                _step();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.ComponentModel.Win32Exception or LvsPs.Model.LvsException or InvalidOperationException)
            {
                _failed(e);
            }
        }
        StopChild();
    }

    /// <summary>Ends the thread, which stops the child first; waits at most <paramref name="wait"/>.</summary>
    public void Stop(TimeSpan wait)
    {
        _stopping = true;
        _wake.Set();
        if (_thread.IsAlive) _thread.Join(wait);
    }

    public void Dispose() => Stop(TimeSpan.FromSeconds(10));
}
