@{
    Synopsis    = 'Lists the running connection-synchronisation daemons.'
    Description = 'Writes the master and backup sync daemons of kernel IPVS with their interface, sync id, maximum message length, multicast group, port and TTL, as ipvsadm -L --daemon shows them. The managed director has no sync daemon and lists none.'
    Examples    = @(
        @{ Title = 'Example 1: Show the daemons'; Code = 'Get-LvsSyncDaemon'; Remarks = 'Lists both roles when both run.' }
    )
    Notes       = 'Needs the kernel backend (Connect-LvsDirector -Kernel) for any daemon to exist.'
    Links       = @('Start-LvsSyncDaemon', 'Stop-LvsSyncDaemon')
}
