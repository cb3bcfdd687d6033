@{
    Synopsis    = 'Stops the in-session managed director and discards its configuration.'
    Description = @'
Stop-LvsDirector stops the in-session managed director: its listeners close, its open connections are reset, every socket it holds is released, and its configuration (virtual services, real servers, timeouts, counters) is discarded, as unloading the ip_vs kernel module discards the kernel's. There is no ipvsadm equivalent; the nearest is ipvsadm -C followed by rmmod ip_vs.

This differs from ipvsadm in that the configuration is not kept: after Stop-LvsDirector the next LvsPs cmdlet that reads or changes the configuration starts a new, empty director. To delete the services but keep the director, use Clear-LvsVirtualService. When no managed director is running the cmdlet does nothing and says so with -Verbose.

With -Service it stops a director service (its configuration stays on disk for its next start). When no service answers at the socket that is an error, DirectorServiceNotRunning; the cmdlet never stops the in-session director instead. A session connected to the stopped service stays connected to its socket (with a warning), so its cmdlets fail with DirectorServiceNotRunning rather than quietly using an empty in-session director; Start-LvsDirector -Service starts it again, Disconnect-LvsDirector goes back to the in-session director.

The cmdlet supports -WhatIf and -Confirm; -WhatIf tells how many virtual services and connections the director has.

With -Service, Stop-LvsDirector stops a director service instead, as SIGTERM does; the service's configuration stays on disk and comes back when it is started again.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Stop the director'
            Code    = 'Stop-LvsDirector'
            Remarks = 'Closes every listener and connection of the managed director and releases its sockets.'
        }
        @{
            Title   = 'Example 2: See what stopping would affect'
            Code    = 'Stop-LvsDirector -WhatIf'
            Remarks = 'Writes a line such as: What if: Performing the operation "Stop" on target "in-session managed director (2 virtual services, 14 connections)".'
        }
        @{
            Title   = 'Example 3: Stop the director service'
            Code    = 'Stop-LvsDirector -Service'
            Remarks = 'Asks the director service at the default socket to stop; its configuration stays on disk for its next start.'
        }
    )
    Notes       = 'The director is also stopped when the module is removed (Remove-Module LvsPs) and when the PowerShell process exits.'
    Links       = @('Start-LvsDirector', 'Clear-LvsVirtualService', 'Get-LvsDirector', 'about_LvsPs')
}
