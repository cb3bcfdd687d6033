@{
    Synopsis    = 'Stops the master or backup connection-synchronisation daemon.'
    Description = 'Stops kernel IPVS''s sync daemon of the given role (ipvsadm --stop-daemon). Stopping a role that is not running fails with SyncDaemonNotRunning.'
    Examples    = @(
        @{ Title = 'Example 1: Stop the master'; Code = 'Stop-LvsSyncDaemon -Role Master'; Remarks = 'The backup, if any, keeps running.' }
        @{ Title = 'Example 2: Stop every daemon'; Code = 'Get-LvsSyncDaemon | Stop-LvsSyncDaemon'; Remarks = 'The role comes from the pipeline.' }
    )
    Notes       = 'Supports -WhatIf and -Confirm.'
    Links       = @('Start-LvsSyncDaemon', 'Get-LvsSyncDaemon')
}
