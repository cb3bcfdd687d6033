using System.Net.Sockets;
using System.Text.Json;
using LvsPs.Model;
using LvsPs.Model.Failover;
using LvsPs.Model.Health;

namespace LvsPs.Remote;

/// <summary>
/// A director service in another process, reached over its Unix domain control socket. Each call is one request and
/// one response on a connection that is kept open and made again when it breaks. Errors arrive as the same
/// <see cref="LvsException"/> the service's backend threw.
/// </summary>
public sealed class RemoteDirector : IDirectorBackend, IHealthMonitoring, IFailoverControl, IBgpControl, ISchedulingPreview, IFtpHelperCheck, IDirectorServiceClient
{
    private readonly object _gate = new();
    private ControlChannel? _channel;

    public RemoteDirector(string socketPath)
    {
        SocketPath = socketPath;
        lock (_gate) Connect();
    }

    public string SocketPath { get; }

    private void Connect()
    {
        if (!File.Exists(SocketPath))
        {
            throw new LvsException(LvsErrorKind.Unavailable, "DirectorServiceNotRunning",
                $"No director service is listening at '{SocketPath}'. Start one with Start-LvsDirector -Service, or give the socket path of a running one.", SocketPath);
        }
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw e.SocketErrorCode switch
            {
                SocketError.AccessDenied => new LvsException(LvsErrorKind.PermissionDenied, "DirectorServiceAccessDenied",
                    $"Permission denied on the director service's socket '{SocketPath}': it is open only to the user who runs the service.", SocketPath, e),
                _ => new LvsException(LvsErrorKind.Unavailable, "DirectorServiceNotRunning",
                    $"Cannot reach the director service at '{SocketPath}': {e.Message}. Start one with Start-LvsDirector -Service.", SocketPath, e),
            };
        }
        _channel = new ControlChannel(socket);
    }

    private JsonElement? Call(string op, object? arg = null)
    {
        lock (_gate)
        {
            var request = new ControlRequest(op, arg is null ? null : JsonSerializer.SerializeToElement(arg, arg.GetType(), ProtocolJson.Options));
            ControlResponse? response = null;
            for (int attempt = 0; attempt < 2 && response is null; attempt++)
            {
                try
                {
                    if (_channel is { PeerClosed: true })
                    {
                        _channel.Dispose(); // the service let an idle connection go
                        _channel = null;
                    }
                    if (_channel is null) Connect();
                    _channel!.Write(request);
                    response = _channel.Read<ControlResponse>();
                    if (response is null) throw new IOException("the service closed the connection");
                }
                catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
                {
                    _channel?.Dispose();
                    _channel = null;
                    // a mutation is not retried: it may have been applied before the connection broke
                    if (attempt == 1 || ControlOps.Mutating.Contains(op))
                    {
                        throw new LvsException(LvsErrorKind.Unavailable, "DirectorServiceConnectionLost",
                            $"The connection to the director service at '{SocketPath}' broke during '{op}': {e.Message}", SocketPath, e);
                    }
                }
            }
            if (response!.Error is { } error) throw new LvsException(error.Kind, error.ErrorId, error.Message);
            return response.Result;
        }
    }

    private T Call<T>(string op, object? arg = null) =>
        Call(op, arg) is { } r ? r.Deserialize<T>(ProtocolJson.Options)! : default!;

    public DirectorInfo GetInfo() => Call<DirectorInfo>(ControlOps.GetInfo) with { Kind = DirectorKind.Service, Target = SocketPath };

    public IReadOnlyList<VirtualService> GetServices() => Call<List<VirtualService>>(ControlOps.GetServices);

    public VirtualService? GetService(VirtualServiceId id) => Call<VirtualService?>(ControlOps.GetService, id);

    public void AddService(VirtualServiceSettings settings) => Call(ControlOps.AddService, settings);

    public void EditService(VirtualServiceSettings settings) => Call(ControlOps.EditService, settings);

    public void DeleteService(VirtualServiceId id) => Call(ControlOps.DeleteService, id);

    public void Flush() => Call(ControlOps.Flush);

    public void AddRealServer(VirtualServiceId service, RealServerSettings settings) => Call(ControlOps.AddRealServer, new RealServerArg(service, settings));

    public void EditRealServer(VirtualServiceId service, RealServerSettings settings) => Call(ControlOps.EditRealServer, new RealServerArg(service, settings));

    public void DeleteRealServer(VirtualServiceId service, RealServerId realServer) => Call(ControlOps.DeleteRealServer, new RealServerRefArg(service, realServer));

    public void ZeroStats(VirtualServiceId? service) => Call(ControlOps.ZeroStats, service);

    public LvsTimeouts GetTimeouts() => Call<LvsTimeouts>(ControlOps.GetTimeouts);

    public void SetTimeouts(LvsTimeouts timeouts) => Call(ControlOps.SetTimeouts, timeouts);

    public IReadOnlyList<LvsConnection> GetConnections() => Call<List<LvsConnection>>(ControlOps.GetConnections);

    public IReadOnlyList<SyncDaemon> GetSyncDaemons() => Call<List<SyncDaemon>>(ControlOps.GetSyncDaemons);

    public void StartSyncDaemon(SyncDaemon daemon) => Call(ControlOps.StartSyncDaemon, daemon);

    public void StopSyncDaemon(SyncDaemonRole role) => Call(ControlOps.StopSyncDaemon, role);

    public void SetHealthCheck(VirtualServiceId service, HealthCheckSettings? check, RealServerSettings? sorryServer) =>
        Call(ControlOps.SetHealthCheck, new HealthCheckArg(service, check, sorryServer));

    public (HealthCheckSettings? Check, RealServerSettings? SorryServer) GetHealthCheck(VirtualServiceId service)
    {
        var reply = Call<HealthCheckReply>(ControlOps.GetHealthCheck, service);
        return (reply.Check, reply.SorryServer);
    }

    public IReadOnlyList<RealServerHealth> GetHealth() => Call<List<RealServerHealth>>(ControlOps.GetHealth);

    public DirectorConfiguration CaptureDesired() => Call<DirectorConfiguration>(ControlOps.CaptureDesired);

    /// <summary>The service previews on its own live state (null when it keeps none for that service).</summary>
    public SchedulingPreviewResult? PreviewScheduling(SchedulingPreviewRequest request) =>
        Call<SchedulingPreviewResult?>(ControlOps.PreviewScheduling, request.Validate());

    /// <summary>What the service's director (kernel IPVS) lacks for FTP through <paramref name="service"/>.</summary>
    public IReadOnlyList<KernelFtpFinding> CheckFtpHelper(VirtualServiceId service) =>
        Call<List<KernelFtpFinding>?>(ControlOps.CheckFtpHelper, service) ?? new List<KernelFtpFinding>();

    public FailoverSettings? GetFailover() => Call<FailoverSettings?>(ControlOps.GetFailover);

    public void SetFailover(FailoverSettings? settings)
    {
        settings?.Validate();
        Call(ControlOps.SetFailover, settings);
    }

    public FailoverStatus GetFailoverStatus() => Call<FailoverStatus>(ControlOps.GetFailoverStatus);

    public BgpSettings? GetBgp() => Call<BgpSettings?>(ControlOps.GetBgp);

    public void SetBgp(BgpSettings? settings)
    {
        settings?.Validate();
        Call(ControlOps.SetBgp, settings);
    }

    public BgpStatus? GetBgpStatus() => Call<BgpStatus?>(ControlOps.GetBgpStatus);

    public void Suspend() => Call(ControlOps.Suspend);

    public void Resume() => Call(ControlOps.Resume);

    /// <summary>
    /// Asks the service for a hitless restart: a new process takes its listening sockets over and serves, the old one
    /// finishes its established connections and exits. Returns the new process id once it serves.
    /// </summary>
    public int Restart()
    {
        var pid = Call<int>(ControlOps.Restart);
        Dispose(); // the old process closes its control connections: the next call connects to the new one
        return pid;
    }

    /// <summary>Asks the service to stop (it saves nothing more: its configuration is already on disk).</summary>
    public void Shutdown() => Call(ControlOps.Shutdown);

    public void Dispose()
    {
        lock (_gate)
        {
            _channel?.Dispose();
            _channel = null;
        }
    }
}
