using System.Management.Automation;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Get-LvsSyncDaemon: the running connection-synchronisation daemons (ipvsadm -L --daemon).</summary>
[Cmdlet(VerbsCommon.Get, "LvsSyncDaemon")]
[OutputType(typeof(SyncDaemon))]
public sealed class GetLvsSyncDaemonCommand : DirectorCmdlet
{
    /// <summary>Only the daemon of this role (Master or Backup).</summary>
    [Parameter(Position = 0)]
    public SyncDaemonRole? Role { get; set; }

    protected override void EndProcessing()
    {
        var daemons = Try(() => Backend.GetSyncDaemons());
        if (daemons is null) return;
        foreach (var d in daemons)
        {
            if (Role is null || d.Role == Role) WriteObject(d);
        }
    }
}
