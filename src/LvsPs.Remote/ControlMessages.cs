using System.Text.Json;
using LvsPs.Model;

namespace LvsPs.Remote;

/// <summary>One request line: an operation of <see cref="IDirectorBackend"/> by name, with its argument.</summary>
public sealed record ControlRequest(string Op, JsonElement? Arg = null);

/// <summary>A failure as it crosses the socket: enough to rebuild the same <see cref="LvsException"/> on the other side.</summary>
public sealed record ControlError(LvsErrorKind Kind, string ErrorId, string Message);

/// <summary>One response line: a result or an error.</summary>
public sealed record ControlResponse(JsonElement? Result = null, ControlError? Error = null);

/// <summary>Arguments of the two-part operations.</summary>
public sealed record RealServerArg(VirtualServiceId Service, RealServerSettings Settings);

public sealed record RealServerRefArg(VirtualServiceId Service, RealServerId RealServer);

public sealed record HealthCheckArg(VirtualServiceId Service, Model.Health.HealthCheckSettings? Check = null, RealServerSettings? SorryServer = null);

/// <summary>A service's health check and sorry server, as GetHealthCheck answers.</summary>
public sealed record HealthCheckReply(Model.Health.HealthCheckSettings? Check = null, RealServerSettings? SorryServer = null);

/// <summary>The operation names: those of <see cref="IDirectorBackend"/>.</summary>
public static class ControlOps
{
    public const string GetInfo = nameof(IDirectorBackend.GetInfo);
    public const string GetServices = nameof(IDirectorBackend.GetServices);
    public const string GetService = nameof(IDirectorBackend.GetService);
    public const string AddService = nameof(IDirectorBackend.AddService);
    public const string EditService = nameof(IDirectorBackend.EditService);
    public const string DeleteService = nameof(IDirectorBackend.DeleteService);
    public const string Flush = nameof(IDirectorBackend.Flush);
    public const string AddRealServer = nameof(IDirectorBackend.AddRealServer);
    public const string EditRealServer = nameof(IDirectorBackend.EditRealServer);
    public const string DeleteRealServer = nameof(IDirectorBackend.DeleteRealServer);
    public const string ZeroStats = nameof(IDirectorBackend.ZeroStats);
    public const string GetTimeouts = nameof(IDirectorBackend.GetTimeouts);
    public const string SetTimeouts = nameof(IDirectorBackend.SetTimeouts);
    public const string GetConnections = nameof(IDirectorBackend.GetConnections);
    public const string GetSyncDaemons = nameof(IDirectorBackend.GetSyncDaemons);
    public const string StartSyncDaemon = nameof(IDirectorBackend.StartSyncDaemon);
    public const string StopSyncDaemon = nameof(IDirectorBackend.StopSyncDaemon);
    public const string SetHealthCheck = nameof(Model.Health.IHealthMonitoring.SetHealthCheck);
    public const string GetHealthCheck = nameof(Model.Health.IHealthMonitoring.GetHealthCheck);
    public const string GetHealth = nameof(Model.Health.IHealthMonitoring.GetHealth);
    public const string CaptureDesired = nameof(Model.Health.IHealthMonitoring.CaptureDesired);

    public const string PreviewScheduling = nameof(ISchedulingPreview.PreviewScheduling);
    public const string CheckFtpHelper = nameof(IFtpHelperCheck.CheckFtpHelper);

    public const string GetFailover = nameof(Model.Failover.IFailoverControl.GetFailover);
    public const string SetFailover = nameof(Model.Failover.IFailoverControl.SetFailover);
    public const string GetFailoverStatus = nameof(Model.Failover.IFailoverControl.GetFailoverStatus);
    public const string GetBgp = nameof(Model.Failover.IBgpControl.GetBgp);
    public const string SetBgp = nameof(Model.Failover.IBgpControl.SetBgp);
    public const string GetBgpStatus = nameof(Model.Failover.IBgpControl.GetBgpStatus);
    public const string Suspend = nameof(Model.Failover.IFailoverControl.Suspend);
    public const string Resume = nameof(Model.Failover.IFailoverControl.Resume);

    /// <summary>Asks the service for a hitless restart: a new process takes its listening sockets over; the answer is the new process id.</summary>
    public const string Restart = "Restart";

    /// <summary>The new process of a restart asks for the listening sockets (argument: its one-time token); they follow by SCM_RIGHTS.</summary>
    public const string HandOver = "HandOver";

    /// <summary>The new process of a restart serves now: the old one stops accepting and finishes its connections.</summary>
    public const string HandOverDone = "HandOverDone";

    /// <summary>Asks the service to stop, as SIGTERM does; it answers first.</summary>
    public const string Shutdown = "Shutdown";

    /// <summary>Every operation, as an error message lists them.</summary>
    public static readonly IReadOnlyList<string> All = new[]
    {
        GetInfo, GetServices, GetService, AddService, EditService, DeleteService, Flush, AddRealServer, EditRealServer, DeleteRealServer,
        ZeroStats, GetTimeouts, SetTimeouts, GetConnections, GetSyncDaemons, StartSyncDaemon, StopSyncDaemon, SetHealthCheck,
        GetHealthCheck, GetHealth, CaptureDesired, PreviewScheduling, CheckFtpHelper, GetFailover, SetFailover, GetBgp, SetBgp, GetBgpStatus, GetFailoverStatus, Suspend, Resume, Shutdown, Restart, HandOver,
    };

    /// <summary>The operations that change the director (the service persists its configuration after each).</summary>
    public static readonly IReadOnlySet<string> Mutating = new HashSet<string>(StringComparer.Ordinal)
    {
        AddService, EditService, DeleteService, Flush, AddRealServer, EditRealServer, DeleteRealServer, SetTimeouts, SetHealthCheck,
        SetFailover, SetBgp, Suspend, Resume, // a suspension outlives a restart of the service
        Restart, // no change waits behind a restart and then lands in the process that handed over
    };
}
