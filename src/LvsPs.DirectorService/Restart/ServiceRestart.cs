using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using LvsPs.Engine;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.DirectorService.Restart;

/// <summary>
/// The old process's side of a hitless restart (Restart-LvsDirector -Service, the Restart operation, SIGHUP: the
/// systemd unit's ExecReload). It starts the new process with the same command line and a one-time token; the new
/// process connects to the control socket, asks for the listeners (HandOver), gets them by SCM_RIGHTS, adopts them,
/// restores the configuration, serves, and says HandOverDone. Only then does this process stop accepting (the listeners
/// were shared all along, so no client is refused in between), stop reading its UDP sockets (shared too: its flows'
/// replies still leave from them for a few seconds), answer, and finish its established connections before it exits. When the new process fails, this one keeps serving as before.
/// </summary>
internal sealed class ServiceRestart
{
    /// <summary>The environment variable that carries the one-time hand-over token to the new process.</summary>
    public const string TokenVariable = "LVSPS_TAKEOVER_TOKEN";

    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(90);

    private readonly IReadOnlyList<string> _args;
    private readonly ManagedDirector? _engine;
    private readonly Action<string> _log;
    private readonly Action<int> _handedOver;
    private readonly object _gate = new();
    private string? _token;
    private TaskCompletionSource<int>? _done;

    /// <param name="args">This process's command line (the new process gets the same, with --take-over).</param>
    /// <param name="engine">The managed engine whose listeners are handed over; null for a kernel director.</param>
    /// <param name="log">The service's log.</param>
    /// <param name="handedOver">Called with the new process's id once it serves: this process then drains and exits.</param>
    public ServiceRestart(IReadOnlyList<string> args, ManagedDirector? engine, Action<string> log, Action<int> handedOver)
    {
        _args = args;
        _engine = engine;
        _log = log;
        _handedOver = handedOver;
    }

    /// <summary>Starts the new process and waits until it serves; returns its process id. Throws when it could not take over.</summary>
    public int Restart()
    {
        if (_engine is null)
        {
            throw LvsException.NotSupported("RestartNeedsManagedEngine",
                "A hitless restart hands the managed engine's listening sockets to a new process; kernel IPVS keeps forwarding without the service, so stop and start the service instead.");
        }
        TaskCompletionSource<int> done;
        lock (_gate)
        {
            if (_done is not null) throw new LvsException(LvsErrorKind.ResourceBusy, "RestartInProgress", "A restart of the director service is already under way.");
            _token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _done = done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        Process? child = null;
        try
        {
            var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false }; // standard output and error: this process's (the log, the journal)
            var dll = typeof(ServiceRestart).Assembly.Location;
            if (!Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("LvsPs.DirectorService", StringComparison.Ordinal)) psi.ArgumentList.Add(dll);
            foreach (var a in _args.Where(a => a != "--take-over" && a != "--start-empty")) psi.ArgumentList.Add(a);
            psi.ArgumentList.Add("--take-over");
            psi.Environment[TokenVariable] = _token;
            child = Process.Start(psi)!;
            _log($"restart: started pid {child.Id} to take over");
            var exited = child.WaitForExitAsync();
            int winner = Task.WaitAny(new Task[] { done.Task, exited }, StartWait);
            if (winner == 0) return done.Task.Result;
            if (winner == 1)
            {
                throw new LvsException(LvsErrorKind.Unavailable, "RestartFailed",
                    $"The new director service process exited with {child.ExitCode} before it took over (its message is in the service's log); this process goes on serving.");
            }
            child.Kill();
            throw new LvsException(LvsErrorKind.Unavailable, "RestartFailed", $"The new director service process did not take over within {StartWait.TotalSeconds} s; it was stopped and this process goes on serving.");
        }
        catch (AggregateException e) when (e.InnerException is LvsException inner)
        {
            throw inner;
        }
        finally
        {
            child?.Dispose();
            lock (_gate)
            {
                _token = null;
                if (!done.Task.IsCompletedSuccessfully) _done = null; // after a hand-over no second restart starts from here
            }
        }
    }

    /// <summary>Serves the HandOver request of the new process on its control connection.</summary>
    public async Task ServeAsync(Socket client, NetworkStream stream, ControlLineReader reader, ControlRequest request, CancellationToken cancel)
    {
        TaskCompletionSource<int>? done;
        lock (_gate)
        {
            done = _done;
            var given = request.Arg is { ValueKind: JsonValueKind.String } a ? a.GetString() : null;
            if (_token is null || done is null || given is null || !CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(given), System.Text.Encoding.ASCII.GetBytes(_token)))
            {
                done = null;
            }
        }
        if (done is null)
        {
            await WriteAsync(stream, new ControlResponse(Error: new ControlError(LvsErrorKind.PermissionDenied, "HandOverRefused",
                "This director service has not started a restart with this token; it hands its sockets only to the process it started.")), cancel).ConfigureAwait(false);
            return;
        }
        try
        {
            var offered = ListenerHandOver.Offered;
            var engine = _engine!.HandOverListeners();
            var names = offered.Select(o => o.Key).Concat(engine.Select(e => e.Service.ToString())).ToList();
            var sockets = offered.Select(o => o.Listener).Concat(engine.Select(e => e.Listener)).ToList();
            await WriteAsync(stream, new ControlResponse(Result: JsonSerializer.SerializeToElement(names, ProtocolJson.Options)), cancel).ConfigureAwait(false);
            for (int i = 0; i < sockets.Count; i += DescriptorPassing.MaxPerMessage)
            {
                var batch = sockets.Skip(i).Take(DescriptorPassing.MaxPerMessage).Select(s => (int)s.Handle).ToArray();
                DescriptorPassing.Send(client, batch);
            }
            _log($"restart: handed {sockets.Count} listening socket(s) to the new process; serving on them until it is ready");

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            wait.CancelAfter(StartWait);
            var line = await reader.ReadLineAsync(wait.Token).ConfigureAwait(false);
            var next = line is null ? null : ControlProtocol.ParseRequest(line.Value.Span);
            if (next?.Op != ControlOps.HandOverDone) throw new IOException("the new process went away before it was ready");

            // the new process accepts on every listener now: stop here, let established connections finish
            foreach (var o in offered) o.StopAccepting();
            _engine.ReleaseListeners();
            await WriteAsync(stream, new ControlResponse(), cancel).ConfigureAwait(false);
            int pid = PeerCredentials.PeerProcessId(client) ?? 0;
            _log($"restart: pid {pid} serves now; this process finishes its {_engine.OpenConnections} open connection(s) and exits");
            done.TrySetResult(pid);
            _handedOver(pid);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or LvsException or ObjectDisposedException)
        {
            _log($"restart: the hand-over failed ({e.Message}); this process goes on serving");
            done.TrySetException(new LvsException(LvsErrorKind.Unavailable, "RestartFailed", $"The hand-over to the new process failed: {e.Message}; this process goes on serving."));
        }
    }

    private static async Task WriteAsync(NetworkStream stream, ControlResponse response, CancellationToken cancel) =>
        await stream.WriteAsync(ControlChannel.Frame(response), cancel).ConfigureAwait(false);
}
