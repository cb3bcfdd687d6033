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
    private readonly IFailoverControl? _failover;
    private readonly object _mutationGate = new();

    /// <param name="backend">The director the service hosts.</param>
    /// <param name="afterMutation">Runs after every successful change, before the reply is sent (the service saves its configuration there).</param>
    /// <param name="shutdown">Stops the service (the Shutdown operation); it should let the reply go out first.</param>
    /// <param name="failover">The service's failover pair driver, when it has one.</param>
    public ControlDispatcher(IDirectorBackend backend, Action<string>? afterMutation = null, Action? shutdown = null, IFailoverControl? failover = null)
    {
        _failover = failover;
        _backend = backend;
        _afterMutation = afterMutation;
        _shutdown = shutdown;
    }

    public ControlResponse Dispatch(ControlRequest request)
    {
        try
        {
            if (!ControlOps.Mutating.Contains(request.Op)) return Ok(Invoke(request));
            lock (_mutationGate)
            {
                var result = Invoke(request);
                _afterMutation?.Invoke(request.Op);
                return Ok(result);
            }
        }
        catch (LvsException e)
        {
            return new ControlResponse(Error: new ControlError(e.Kind, e.ErrorId, e.Message));
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return new ControlResponse(Error: new ControlError(LvsErrorKind.ProtocolError, "BadControlRequest", $"The director service could not process '{request.Op}': {e.Message}"));
        }
    }

    private object? Invoke(ControlRequest r) => r.Op switch
    {
        ControlOps.GetInfo => WithRole(_backend.GetInfo()),
        ControlOps.GetServices => _backend.GetServices(),
        ControlOps.GetService => _backend.GetService(Arg<VirtualServiceId>(r)),
        ControlOps.AddService => Void(() => _backend.AddService(Arg<VirtualServiceSettings>(r))),
        ControlOps.EditService => Void(() => _backend.EditService(Arg<VirtualServiceSettings>(r))),
        ControlOps.DeleteService => Void(() => _backend.DeleteService(Arg<VirtualServiceId>(r))),
        ControlOps.Flush => Void(_backend.Flush),
        ControlOps.AddRealServer => Void(() => { var a = Arg<RealServerArg>(r); _backend.AddRealServer(a.Service, a.Settings); }),
        ControlOps.EditRealServer => Void(() => { var a = Arg<RealServerArg>(r); _backend.EditRealServer(a.Service, a.Settings); }),
        ControlOps.DeleteRealServer => Void(() => { var a = Arg<RealServerRefArg>(r); _backend.DeleteRealServer(a.Service, a.RealServer); }),
        ControlOps.ZeroStats => Void(() => _backend.ZeroStats(r.Arg is null ? null : Arg<VirtualServiceId>(r))),
        ControlOps.GetTimeouts => _backend.GetTimeouts(),
        ControlOps.SetTimeouts => Void(() => _backend.SetTimeouts(Arg<LvsTimeouts>(r))),
        ControlOps.GetConnections => _backend.GetConnections(),
        ControlOps.GetSyncDaemons => _backend.GetSyncDaemons(),
        ControlOps.StartSyncDaemon => Void(() => _backend.StartSyncDaemon(Arg<SyncDaemon>(r))),
        ControlOps.StopSyncDaemon => Void(() => _backend.StopSyncDaemon(Arg<SyncDaemonRole>(r))),
        ControlOps.SetHealthCheck => Void(() => { var a = Arg<HealthCheckArg>(r); Health.SetHealthCheck(a.Service, a.Check, a.SorryServer); }),
        ControlOps.GetHealthCheck => Health.GetHealthCheck(Arg<VirtualServiceId>(r)) is var (check, sorry) ? new HealthCheckReply(check, sorry) : null,
        ControlOps.GetHealth => Health.GetHealth(),
        ControlOps.CaptureDesired => DirectorConfiguration.Capture(_backend),
        ControlOps.GetFailover => Failover.GetFailover(),
        ControlOps.SetFailover => Void(() => Failover.SetFailover(r.Arg is null || r.Arg.Value.ValueKind == JsonValueKind.Null ? null : Arg<FailoverSettings>(r))),
        ControlOps.GetBgp => Failover.GetBgp(),
        ControlOps.SetBgp => Void(() => Failover.SetBgp(r.Arg is null || r.Arg.Value.ValueKind == JsonValueKind.Null ? null : Arg<BgpSettings>(r))),
        ControlOps.GetFailoverStatus => Failover.GetFailoverStatus(),
        ControlOps.Suspend => Void(Failover.Suspend),
        ControlOps.Resume => Void(Failover.Resume),
        ControlOps.Shutdown => Void(_shutdown ?? throw LvsException.NotSupported("ShutdownNotSupported", "This director cannot be stopped over its control socket.")),
        _ => throw new InvalidOperationException($"unknown operation '{r.Op}'"),
    };

    private IFailoverControl Failover => _failover ?? throw LvsException.NotSupported("FailoverNotAvailable", "This director service runs no failover pair driver.");

    private DirectorInfo WithRole(DirectorInfo info)
    {
        if (_failover is null) return info;
        var status = _failover.GetFailoverStatus();
        return info with { Role = status.Role, Peer = status.Peers.Count == 0 ? null : string.Join(", ", status.Peers), LastTransition = status.LastTransition?.Time };
    }

    private IHealthMonitoring Health => _backend as IHealthMonitoring ?? throw LvsException.NotSupported("HealthChecksNotAvailable",
        "This director service does not run health checks.");

    private static T Arg<T>(ControlRequest r) =>
        r.Arg is { } e ? e.Deserialize<T>(ProtocolJson.Options) ?? throw new JsonException("missing argument") : throw new JsonException("missing argument");

    private static object? Void(Action action)
    {
        action();
        return null;
    }

    private static ControlResponse Ok(object? result) =>
        new(Result: result is null ? null : JsonSerializer.SerializeToElement(result, result.GetType(), ProtocolJson.Options));
}
