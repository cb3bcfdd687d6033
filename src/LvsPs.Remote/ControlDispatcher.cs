using System.Text.Json;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;

namespace LvsPs.Remote;

/// <summary>The server side of the protocol: decodes a request, calls the backend, encodes the result or the error.</summary>
public sealed class ControlDispatcher
{
    private readonly IDirectorBackend _backend;
    private readonly Action<string>? _afterMutation;
    private readonly Action? _shutdown;
    private readonly Func<int>? _restart;
    private readonly IFailoverControl? _failover;
    private readonly IBgpControl? _bgp;
    private readonly object _mutationGate = new();

    /// <param name="backend">The director the service hosts.</param>
    /// <param name="afterMutation">Runs after every successful change, before the reply is sent (the service saves its configuration there).</param>
    /// <param name="shutdown">Stops the service (the Shutdown operation); it should let the reply go out first.</param>
    /// <param name="failover">The service's failover pair driver, when it has one.</param>
    /// <param name="restart">Restarts the service hitlessly (the Restart operation); returns the new process id.</param>
    /// <param name="bgp">The service's BGP speaker driver, when it has one.</param>
    public ControlDispatcher(IDirectorBackend backend, Action<string>? afterMutation = null, Action? shutdown = null, IFailoverControl? failover = null, Func<int>? restart = null,
        IBgpControl? bgp = null)
    {
        _bgp = bgp;
        _restart = restart;
        _failover = failover;
        _backend = backend;
        _afterMutation = afterMutation;
        _shutdown = shutdown;
    }

    /// <summary>Answers one request line: a malformed line gets an error answer like any refused request.</summary>
    public ControlResponse Dispatch(ReadOnlySpan<byte> line)
    {
        ControlRequest request;
        try
        {
            request = ControlProtocol.ParseRequest(line);
        }
        catch (LvsException e)
        {
            return Error(e);
        }
        return Dispatch(request);
    }

    /// <summary>
    /// Answers one request. Its argument is decoded and validated by the model before anything is locked, a change runs
    /// under the mutation gate (released whatever happens: <c>lock</c>), and every failure becomes an error answer: no
    /// exception leaves this method.
    /// </summary>
    public ControlResponse Dispatch(ControlRequest request)
    {
        try
        {
            var call = Decode(request);
            if (!ControlOps.Mutating.Contains(request.Op)) return Ok(call());
            lock (_mutationGate)
            {
                if (_closed is { } closed) throw new LvsException(LvsErrorKind.Unavailable, "DirectorServiceRestarted", closed);
                var result = call();
                if (_closed is null) _afterMutation?.Invoke(request.Op); // after a hand-over the new process keeps the file
                return Ok(result);
            }
        }
        catch (LvsException e)
        {
            return Error(e);
        }
        catch (JsonException e)
        {
            return Error(ControlProtocol.BadRequest($"The argument of '{ControlProtocol.Quote(request.Op)}' is not valid: {e.Message}", e));
        }
        catch (Exception e)
        {
            // a defect below, not the caller's fault: still an answer, and the service goes on
            return new ControlResponse(Error: new ControlError(LvsErrorKind.ProtocolError, "DirectorServiceInternalError",
                $"The director service failed on '{ControlProtocol.Quote(request.Op)}': {e.GetType().Name}: {e.Message}"));
        }
    }

    private volatile string? _closed;

    /// <summary>
    /// Refuses every later change with <paramref name="reason"/> (a process that handed over to a new one: a change
    /// applied here would be lost). A change waiting for the gate gets that error instead of being applied.
    /// </summary>
    public void RefuseChanges(string reason) => _closed = reason;

    private static ControlResponse Error(LvsException e) => new(Error: new ControlError(e.Kind, e.ErrorId, e.Message));

    /// <summary>The call a request stands for, with its argument already decoded and validated by the model.</summary>
    private Func<object?> Decode(ControlRequest r)
    {
        switch (r.Op)
        {
            case ControlOps.GetInfo: return () => WithRole(_backend.GetInfo());
            case ControlOps.GetServices: return () => _backend.GetServices();
            case ControlOps.GetService: { var id = Arg<VirtualServiceId>(r); return () => _backend.GetService(id); }
            case ControlOps.AddService: { var s = Arg<VirtualServiceSettings>(r).Validate(); return Void(() => _backend.AddService(s)); }
            case ControlOps.EditService: { var s = Arg<VirtualServiceSettings>(r).Validate(); return Void(() => _backend.EditService(s)); }
            case ControlOps.DeleteService: { var id = Arg<VirtualServiceId>(r); return Void(() => _backend.DeleteService(id)); }
            case ControlOps.Flush: return Void(_backend.Flush);
            case ControlOps.AddRealServer: { var a = Arg<RealServerArg>(r); a.Settings.Validate(); return Void(() => _backend.AddRealServer(a.Service, a.Settings)); }
            case ControlOps.EditRealServer: { var a = Arg<RealServerArg>(r); a.Settings.Validate(); return Void(() => _backend.EditRealServer(a.Service, a.Settings)); }
            case ControlOps.DeleteRealServer: { var a = Arg<RealServerRefArg>(r); return Void(() => _backend.DeleteRealServer(a.Service, a.RealServer)); }
            case ControlOps.ZeroStats: { VirtualServiceId? id = r.Arg is null ? null : Arg<VirtualServiceId>(r); return Void(() => _backend.ZeroStats(id)); }
            case ControlOps.GetTimeouts: return () => _backend.GetTimeouts();
            case ControlOps.SetTimeouts: { var t = Arg<LvsTimeouts>(r); return Void(() => _backend.SetTimeouts(t)); }
            case ControlOps.GetConnections: return () => _backend.GetConnections();
            case ControlOps.GetSyncDaemons: return () => _backend.GetSyncDaemons();
            case ControlOps.StartSyncDaemon: { var d = Arg<SyncDaemon>(r); return Void(() => _backend.StartSyncDaemon(d)); }
            case ControlOps.StopSyncDaemon: { var role = Arg<SyncDaemonRole>(r); return Void(() => _backend.StopSyncDaemon(role)); }
            case ControlOps.SetHealthCheck:
            {
                var a = Arg<HealthCheckArg>(r);
                a.Check?.Validate();
                a.SorryServer?.Validate();
                return Void(() => Health.SetHealthCheck(a.Service, a.Check, a.SorryServer));
            }
            case ControlOps.GetHealthCheck:
            {
                var id = Arg<VirtualServiceId>(r);
                return () => Health.GetHealthCheck(id) is var (check, sorry) ? new HealthCheckReply(check, sorry) : null;
            }
            case ControlOps.GetHealth: return () => Health.GetHealth();
            case ControlOps.CaptureDesired: return () => DirectorConfiguration.Capture(_backend);
            case ControlOps.PreviewScheduling:
            {
                var request = Arg<SchedulingPreviewRequest>(r).Validate();
                return () => _backend is ISchedulingPreview p ? p.PreviewScheduling(request) : null;
            }
            case ControlOps.CheckFtpHelper:
            {
                var id = Arg<VirtualServiceId>(r);
                return () => _backend is IFtpHelperCheck c ? c.CheckFtpHelper(id) : Array.Empty<KernelFtpFinding>();
            }
            case ControlOps.GetFailover: return () => Failover.GetFailover();
            case ControlOps.SetFailover: { var f = OptionalArg<FailoverSettings>(r)?.Validate(); return Void(() => Failover.SetFailover(f)); }
            case ControlOps.GetBgp: return () => Bgp.GetBgp();
            case ControlOps.SetBgp: { var b = OptionalArg<BgpSettings>(r)?.Validate(); return Void(() => Bgp.SetBgp(b)); }
            case ControlOps.GetBgpStatus: return () => Bgp.GetBgpStatus();
            case ControlOps.GetFailoverStatus: return () => Failover.GetFailoverStatus();
            case ControlOps.Suspend: return Void(() => Failover.Suspend());
            case ControlOps.Resume: return Void(() => Failover.Resume());
            case ControlOps.Restart:
            {
                var restart = _restart ?? throw LvsException.NotSupported("RestartNotSupported", "This director cannot be restarted over its control socket.");
                return () => restart();
            }
            case ControlOps.Shutdown:
                return Void(_shutdown ?? throw LvsException.NotSupported("ShutdownNotSupported", "This director cannot be stopped over its control socket."));
            default:
                throw ControlProtocol.BadRequest($"Unknown operation '{ControlProtocol.Quote(r.Op)}'; allowed: {string.Join(", ", ControlOps.All)}.");
        }
    }

    private IFailoverControl Failover => _failover ?? throw LvsException.NotSupported("FailoverNotAvailable", "This director service runs no failover pair driver.");

    private IBgpControl Bgp => _bgp ?? throw LvsException.NotSupported("BgpNotAvailable", "This director service runs no BGP speaker driver.");

    private DirectorInfo WithRole(DirectorInfo info)
    {
        if (_failover is null) return info;
        var status = _failover.GetFailoverStatus();
        return info with { Role = status.Role, Peer = status.Peers.Count == 0 ? null : string.Join(", ", status.Peers), LastTransition = status.LastTransition?.Time };
    }

    private IHealthMonitoring Health => _backend as IHealthMonitoring ?? throw LvsException.NotSupported("HealthChecksNotAvailable",
        "This director service does not run health checks.");

    /// <summary>The argument, or null when the request has none (a setting being cleared).</summary>
    private static T? OptionalArg<T>(ControlRequest r) where T : class =>
        r.Arg is not { } e || e.ValueKind == JsonValueKind.Null ? null : Arg<T>(r);

    private static T Arg<T>(ControlRequest r)
    {
        if (r.Arg is not { } e || e.ValueKind == JsonValueKind.Null)
        {
            throw ControlProtocol.BadRequest($"'{ControlProtocol.Quote(r.Op)}' needs an argument (\"arg\": a {typeof(T).Name}).");
        }
        return e.Deserialize<T>(ProtocolJson.Options) ?? throw new JsonException($"the argument is not a {typeof(T).Name}");
    }

    private static Func<object?> Void(Action action) => () =>
    {
        action();
        return null;
    };

    private static ControlResponse Ok(object? result) =>
        new(Result: result is null ? null : JsonSerializer.SerializeToElement(result, result.GetType(), ProtocolJson.Options));
}
