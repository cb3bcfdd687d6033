using System.Management.Automation;
using System.Net;
using LvsPs.Model;

namespace LvsPs.Commands;

/// <summary>Start-LvsSyncDaemon: starts a master or backup connection-synchronisation daemon (ipvsadm --start-daemon).</summary>
[Cmdlet(VerbsLifecycle.Start, "LvsSyncDaemon", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SyncDaemon))]
public sealed class StartLvsSyncDaemonCommand : DirectorCmdlet
{
    /// <summary>Master sends the connection table, Backup receives it.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public SyncDaemonRole Role { get; set; }

    /// <summary>The interface the sync messages use (ipvsadm --mcast-interface).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ValidateLength(1, 15)]
    public string Interface { get; set; } = null!;

    /// <summary>The sync id, 0..255 (ipvsadm --syncid); 0 means every id.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public byte SyncId { get; set; }

    /// <summary>Largest sync message payload (ipvsadm --sync-maxlen); 0 for the kernel's default from the MTU.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public ushort MaxLength { get; set; }

    /// <summary>Multicast group (ipvsadm --mcast-group); default 224.0.0.81.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Group { get; set; }

    /// <summary>UDP port (ipvsadm --mcast-port); default 8848.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public ushort Port { get; set; }

    /// <summary>Multicast TTL, 1..255 (ipvsadm --mcast-ttl); default 1.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public byte Ttl { get; set; }

    /// <summary>Writes the daemon as the director reports it.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var daemon = Try(() => new SyncDaemon { Role = Role, Interface = Interface, SyncId = SyncId, MaxLength = MaxLength, GroupAddress = Group is null ? null : Arguments.ParseAddress(Group, "multicast group"), Port = Port, Ttl = Ttl });
        if (daemon is null) return;
        if (!ShouldProcess($"{Role} sync daemon on {Interface} (sync id {SyncId})", "Start")) return;
        if (!Try(() => Backend.StartSyncDaemon(daemon))) return;
        if (PassThru) Try(() => { foreach (var d in Backend.GetSyncDaemons().Where(d => d.Role == Role)) WriteObject(d); });
    }
}
