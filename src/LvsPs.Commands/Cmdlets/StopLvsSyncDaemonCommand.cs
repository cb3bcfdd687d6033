using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Stop-LvsSyncDaemon: stops the master or backup sync daemon (ipvsadm --stop-daemon).</summary>
[Cmdlet(VerbsLifecycle.Stop, "LvsSyncDaemon", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class StopLvsSyncDaemonCommand : DirectorCmdlet
{
    /// <summary>Which daemon to stop: Master or Backup.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public SyncDaemonRole Role { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"{Role} sync daemon", "Stop")) return;
        Try(() => Backend.StopSyncDaemon(Role));
    }
}
