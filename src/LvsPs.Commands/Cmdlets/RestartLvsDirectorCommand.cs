using System.Management.Automation;
using LvsPs.Directors;
using LvsPs.Model;
using LvsPs.Remote;

namespace LvsPs.Commands;

/// <summary>
/// Restart-LvsDirector -Service: restarts a director service without refusing a connection. A new service process
/// takes the listening sockets over from the running one (SCM_RIGHTS), restores the configuration and serves; the old
/// process then finishes its established connections and exits. The systemd unit's reload (systemctl reload) does the
/// same through SIGHUP.
/// </summary>
[Cmdlet(VerbsLifecycle.Restart, "LvsDirector", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DirectorInfo))]
public sealed class RestartLvsDirectorCommand : LvsCmdlet
{
    /// <summary>Restart a director service (the in-session director has no process of its own to restart).</summary>
    [Parameter(Mandatory = true)]
    public SwitchParameter Service { get; set; }

    /// <summary>The service's control socket; default /run/lvsps/director.sock for root, else under $XDG_RUNTIME_DIR.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? SocketPath { get; set; }

    /// <summary>Writes the restarted service's information.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void EndProcessing()
    {
        var socket = SocketPath is null ? DirectorSocket.DefaultPath : GetUnresolvedProviderPathFromPSPath(SocketPath);
        if (!DirectorServiceLauncher.IsRunning(socket))
        {
            WriteError(ToErrorRecord(new LvsException(LvsErrorKind.NotFound, "DirectorServiceNotRunning",
                $"No director service is running at '{socket}'; nothing was restarted. Start one with Start-LvsDirector -Service.", socket)));
            return;
        }
        if (!ShouldProcess(socket, "Restart director service (a new process takes its listening sockets over)")) return;
        Try(() =>
        {
            int pid;
            using (var service = DirectorFactory.Service(socket)) pid = service.Restart();
            WriteVerbose($"Process {pid} serves the director service at {socket} now; the previous process finishes its open connections and exits.");
            if (PassThru)
            {
                using var restarted = DirectorFactory.Service(socket);
                WriteObject(restarted.GetInfo());
            }
        });
    }
}
