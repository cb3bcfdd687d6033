@{
    Synopsis    = 'Starts a master or backup connection-synchronisation daemon.'
    Description = 'Starts kernel IPVS''s sync daemon (ipvsadm --start-daemon): a master multicasts connection state on the interface, a backup receives it so that a standby director can take over established connections. Optional: sync id, maximum message length, multicast group, port and TTL; the kernel''s defaults are 224.0.0.81, port 8848, TTL 1 and a length from the MTU.'
    Examples    = @(
        @{ Title = 'Example 1: Master on eth1'; Code = 'Start-LvsSyncDaemon -Role Master -Interface eth1 -SyncId 7'; Remarks = 'Sends connection state for sync id 7.' }
        @{ Title = 'Example 2: Backup with a custom group'; Code = 'Start-LvsSyncDaemon Backup eth1 -SyncId 7 -Group 224.0.0.99 -Port 9000 -Ttl 2 -PassThru'; Remarks = 'Receives on 224.0.0.99:9000 and shows the daemon.' }
    )
    Notes       = 'Kernel backend only; the managed director reports SyncDaemonNeedsKernel. A second daemon of the same role fails with SyncDaemonRunning.'
    Links       = @('Stop-LvsSyncDaemon', 'Get-LvsSyncDaemon')
}
