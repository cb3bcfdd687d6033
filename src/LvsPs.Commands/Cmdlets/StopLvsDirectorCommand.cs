using System.Management.Automation;
using LvsPs.Directors;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.Commands;

/// <summary>
/// Stop-LvsDirector: stops the in-session managed director: its listeners close, its connections are reset, every
/// socket is released and its configuration is discarded (as unloading ip_vs discards the kernel's). With -Service it
/// stops a director service instead, which keeps its configuration on disk for its next start.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "LvsDirector", DefaultParameterSetName = InSessionSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StopLvsDirectorCommand : LvsCmdlet
{
    private const string InSessionSet = "InSession";
    private const string ServiceSet = "Service";

    /// <summary>Stop a director service instead of the in-session director.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ServiceSet)]
    public SwitchParameter Service { get; set; }

    /// <summary>The service's control socket; default /run/lvsps/director.sock for root, else under $XDG_RUNTIME_DIR.</summary>
    [Parameter(ParameterSetName = ServiceSet)]
    [ValidateNotNullOrEmpty]
    public string? SocketPath { get; set; }

    protected override void EndProcessing()
    {
        if (ParameterSetName == ServiceSet)
        {
            StopService();
            return;
        }
        var director = LvsSession.ManagedDirector;
        if (director is null)
        {
            WriteVerbose("No in-session managed director is running.");
            return;
        }
        var info = director.GetInfo();
        if (!ShouldProcess($"in-session managed director ({info.VirtualServiceCount} virtual services, {info.ConnectionCount} connections)", "Stop")) return;
        LvsSession.StopManaged();
    }

    /// <summary>
    /// Stops the service at the socket. No service there is an error (never a silent fallback to the in-session
    /// director), and a session connected to it stays connected to that socket: its cmdlets then say the service is not
    /// running, until it is started again or Disconnect-LvsDirector goes back to the in-session director.
    /// </summary>
    private void StopService()
    {
        var socket = SocketPath is null ? DirectorSocket.DefaultPath : GetUnresolvedProviderPathFromPSPath(SocketPath);
        if (!DirectorServiceLauncher.IsRunning(socket))
        {
            WriteError(ToErrorRecord(new LvsException(LvsErrorKind.NotFound, "DirectorServiceNotRunning",
                $"No director service is running at '{socket}'; nothing was stopped. (Stop-LvsDirector without -Service stops the in-session director.)", socket)));
            return;
        }
        if (!ShouldProcess(socket, "Stop director service")) return;
        Try(() =>
        {
            using (var service = DirectorFactory.Service(socket)) service.Shutdown();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DirectorServiceLauncher.IsRunning(socket) && DateTime.UtcNow < deadline) Thread.Sleep(100);
            if (LvsSession.Connected is IDirectorServiceClient r && r.SocketPath == socket)
            {
                WriteWarning($"This session stays connected to the stopped director service at '{socket}': its cmdlets fail until the service is started again. Disconnect-LvsDirector goes back to the in-session director.");
            }
        });
    }
}
