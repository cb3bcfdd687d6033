using System.Collections.Concurrent;
using System.Text.Json;
using LvsPs.DirectorService.Http;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.DirectorService.Status;

/// <summary>
/// Changes from the status page: quiesce (weight 0), drain (weight 0, then removal once the real server has no active
/// connections or the drain timeout passes, as Remove-LvsRealServer -Drain does) and restore (a weight again). Only
/// when the operator turned them on; only with the secret (<see cref="StatusToken"/>) in an Authorization header, which
/// a cross-site form or image cannot send, and never on GET. Each change goes through the control socket's dispatcher:
/// the same validation, serialization with the cmdlets' changes, and state file save.
/// </summary>
internal sealed class StatusActions : IDisposable
{
    public const int DefaultDrainTimeout = 300;
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(500);

    private readonly StatusToken? _token;
    private readonly ControlDispatcher _dispatcher;
    private readonly IDirectorBackend _director;
    private readonly Action<string> _log;
    private readonly ConcurrentDictionary<(VirtualServiceId, RealServerId), int> _weightsBefore = new();
    private readonly ConcurrentDictionary<(VirtualServiceId, RealServerId), CancellationTokenSource> _drains = new();
    private readonly CancellationTokenSource _stopping = new();

    /// <param name="token">The secret, or null when changes from the page are turned off.</param>
    /// <param name="dispatcher">The control socket's dispatcher, through which every change goes.</param>
    /// <param name="director">The director, read to find real servers and follow drains.</param>
    /// <param name="log">The service's log.</param>
    public StatusActions(StatusToken? token, ControlDispatcher dispatcher, IDirectorBackend director, Action<string> log)
    {
        _token = token;
        _dispatcher = dispatcher;
        _director = director;
        _log = log;
    }

    public bool Enabled => _token is not null;

    /// <summary>The weight a real server had before the page quiesced it (what restore offers), or null.</summary>
    public int? RestoreWeight(VirtualServiceId service, RealServerId rs) => _weightsBefore.TryGetValue((service, rs), out var w) ? w : null;

    public bool IsDraining(VirtualServiceId service, RealServerId rs) => _drains.ContainsKey((service, rs));

    /// <summary>POST /status/action with a JSON body {"action":"quiesce|drain|restore","virtualService":"tcp/...","realServer":"ADDRESS:PORT","weight":N}.</summary>
    public HttpResponse Handle(HttpRequest request)
    {
        if (request.Method != "POST") return Error(405, "MethodNotAllowed", "Changes are made with POST only.") with { Headers = [new("Allow", "POST")] };
        if (_token is null) return Error(403, "StatusActionsOff", "Changes from the status page are turned off; the service must be started with --status-actions on (Start-LvsDirector -StatusPageActions).");
        if (request.Header("Origin") is { } origin && origin != "http://" + request.Header("Host") && origin != "https://" + request.Header("Host"))
        {
            return Error(403, "CrossOriginRefused", $"A change from another origin ('{Cut(origin)}') is refused.");
        }
        if (request.Header("Content-Type")?.Split(';')[0].Trim() != "application/json") return Error(415, "JsonRequired", "The body must be application/json.");
        var auth = request.Header("Authorization");
        if (auth is null || !auth.StartsWith("Bearer ", StringComparison.Ordinal) || !_token.Matches(auth["Bearer ".Length..].Trim()))
        {
            _log($"status page: refused a change from {request.RemoteEndPoint}: {(auth is null ? "no token" : "wrong token")}");
            return Error(401, "StatusTokenRequired", "The status token is missing or wrong.") with { Headers = [new("WWW-Authenticate", "Bearer realm=\"lvsps\"")] };
        }
        ActionRequest? action;
        try
        {
            action = JsonSerializer.Deserialize<ActionRequest>(request.Body, new JsonSerializerOptions(JsonSerializerDefaults.Web) { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            return Error(400, "BadActionRequest", "The body is not an action: " + Cut(e.Message));
        }
        if (action?.Action is null || action.VirtualService is null || action.RealServer is null)
        {
            return Error(400, "BadActionRequest", "The body needs action, virtualService and realServer.");
        }
        try
        {
            var message = Run(action);
            _log($"status page: {message} (from {request.RemoteEndPoint})");
            return Json(200, new { ok = true, message });
        }
        catch (LvsException e)
        {
            int status = e.Kind switch { LvsErrorKind.NotFound => 404, LvsErrorKind.AlreadyExists => 409, LvsErrorKind.InvalidArgument => 422, _ => 409 };
            return Error(status, e.ErrorId, e.Message);
        }
    }

    private string Run(ActionRequest a)
    {
        var serviceId = VirtualServiceId.Parse(a.VirtualService!);
        var service = _director.GetService(serviceId) ?? throw LvsException.ServiceNotFound(serviceId);
        var rs = service.RealServers.FirstOrDefault(r => r.Id.ToString() == a.RealServer)
            ?? throw new LvsException(LvsErrorKind.NotFound, "RealServerNotFound", $"Real server '{Cut(a.RealServer!)}' does not exist in virtual service '{serviceId}'.", a.RealServer);
        var key = (serviceId, rs.Settings.Id);
        switch (a.Action)
        {
            case "quiesce":
                Quiesce(serviceId, rs);
                return $"quiesced {rs.Id} in {serviceId}: weight {rs.Weight} -> 0";
            case "drain":
                int timeout = a.DrainTimeout ?? DefaultDrainTimeout;
                if (timeout is < 0 or > 86400) throw LvsException.InvalidArgument("InvalidDrainTimeout", $"Drain timeout {timeout} is not valid; allowed: 0..86400 seconds.", timeout);
                Quiesce(serviceId, rs);
                StartDrain(serviceId, rs.Settings.Id, TimeSpan.FromSeconds(timeout));
                return $"draining {rs.Id} in {serviceId}: weight {rs.Weight} -> 0, removed when its active connections end (at most {timeout} s)";
            case "restore":
                int weight = a.Weight ?? RestoreWeight(serviceId, rs.Settings.Id) ?? 1;
                if (weight <= 0) throw LvsException.InvalidArgument("InvalidRestoreWeight", $"Weight {weight} does not restore a real server; allowed: 1..{int.MaxValue}.", weight);
                if (_drains.TryRemove(key, out var drain)) drain.Cancel();
                Dispatch(ControlOps.EditRealServer, new RealServerArg(serviceId, rs.Settings with { Weight = weight }));
                _weightsBefore.TryRemove(key, out _);
                return $"restored {rs.Id} in {serviceId}: weight {rs.Weight} -> {weight}";
            default:
                throw LvsException.InvalidArgument("InvalidStatusAction", $"Action '{Cut(a.Action!)}' is not valid; allowed: quiesce, drain, restore.", a.Action);
        }
    }

    private void Quiesce(VirtualServiceId service, RealServer rs)
    {
        if (rs.Weight == 0) return;
        Dispatch(ControlOps.EditRealServer, new RealServerArg(service, rs.Settings with { Weight = 0 }));
        _weightsBefore[(service, rs.Settings.Id)] = rs.Weight;
    }

    private void StartDrain(VirtualServiceId service, RealServerId rs, TimeSpan timeout)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        if (!_drains.TryAdd((service, rs), cancel))
        {
            cancel.Dispose();
            return; // already draining
        }
        _ = Task.Run(async () =>
        {
            try
            {
                var deadline = DateTime.UtcNow + timeout;
                int active;
                while ((active = _director.GetService(service)?.RealServers.FirstOrDefault(r => r.Settings.Id == rs)?.ActiveConnections ?? 0) > 0 && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(DrainPoll, cancel.Token).ConfigureAwait(false);
                }
                if (active > 0) _log($"status page: {rs} in {service} still has {active} active connection(s) after {timeout.TotalSeconds} s; removing it now (they continue until they end)");
                cancel.Token.ThrowIfCancellationRequested();
                Dispatch(ControlOps.DeleteRealServer, new RealServerRefArg(service, rs));
                _weightsBefore.TryRemove((service, rs), out _);
                _log($"status page: drained and removed {rs} from {service}");
            }
            catch (OperationCanceledException)
            {
            }
            catch (LvsException e)
            {
                _log($"status page: the drain of {rs} in {service} stopped: {e.Message}");
            }
            finally
            {
                _drains.TryRemove(KeyValuePair.Create((service, rs), cancel));
                cancel.Dispose();
            }
        });
    }

    /// <summary>Runs a change as a control socket request; a refusal comes back as the same <see cref="LvsException"/>.</summary>
    private void Dispatch(string op, object arg)
    {
        var response = _dispatcher.Dispatch(new ControlRequest(op, JsonSerializer.SerializeToElement(arg, ProtocolJson.Options)));
        if (response.Error is { } e) throw new LvsException(e.Kind, e.ErrorId, e.Message, null);
    }

    internal static HttpResponse Json(int status, object value) =>
        new(status, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(value, StatusJson.Options));

    private static HttpResponse Error(int status, string errorId, string message) => Json(status, new { error = new { errorId, message } });

    private static string Cut(string value) => value.Length <= 80 ? value : value[..80] + "...";

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private sealed record ActionRequest(string? Action, string? VirtualService, string? RealServer, int? Weight, int? DrainTimeout);
}
