@{
    Synopsis    = 'Zeroes the counters of one virtual service or of all (ipvsadm -Z).'
    Description = @'
Reset-LvsStats sets to zero the counters (connections, packets, bytes) and rates of a virtual service and of its real servers; without -VirtualService it zeroes those of every service. It is the equivalent of ipvsadm -Z. Connections are not affected, and counting goes on from zero.

Name the service by its identity string or pipe service objects from Get-LvsVirtualService. A service that does not exist is a non-terminating ObjectNotFound error. The cmdlet supports -WhatIf and -Confirm.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Zero every counter'
            Code    = 'Reset-LvsStats'
            Remarks = 'Zeroes the counters of every virtual service and real server, like ipvsadm -Z.'
        }
        @{
            Title   = 'Example 2: Zero the counters of one service and measure a test'
            Code    = @'
Reset-LvsStats tcp/192.0.2.10:80
# ... run the load test ...
Get-LvsStats tcp/192.0.2.10:80
'@
            Remarks = 'Zeroes the counters of the HTTP service and its real servers, so that Get-LvsStats afterwards shows only the test''s traffic.'
        }
    )
    Links       = @('Get-LvsStats', 'about_LvsPs')
}
