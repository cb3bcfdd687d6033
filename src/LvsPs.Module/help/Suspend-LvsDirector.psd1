@{
    Synopsis    = 'Takes a director out of service on purpose before maintenance: hands mastership to a peer and withdraws its routes.'
    Description = @'
Suspend-LvsDirector is the planned removal of a director. In a failover pair it stops the director's keepalived, which advertises priority 0, so a peer becomes master within a fraction of a second rather than after the master-down interval; the director then stays out of the pair. Connections already relayed by a managed director continue until they end; with the kernel backend and connectionSync, the new master already knows them.

The director stays suspended until Resume-LvsDirector (or until its service restarts). The cmdlet supports -WhatIf and -Confirm.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Maintenance on the master'
            Code    = @'
Suspend-LvsDirector -Director Service -Confirm:$false
# ... patch and reboot ...
Resume-LvsDirector -Director Service
'@
            Remarks = 'The peer takes over at once; after Resume the director rejoins the pair (and with preempt takes mastership back).'
        }
    )
    Notes       = 'Errors: the director is in no pair (InvalidArgument, NoFailoverPair) or cannot be (NotSupported, FailoverNotAvailable).'
    Links       = @('Resume-LvsDirector', 'Get-LvsFailover', 'Get-LvsDirector', 'about_LvsPs')
}
