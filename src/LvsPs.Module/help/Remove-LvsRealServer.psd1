@{
    Synopsis    = 'Removes a real server from a virtual service (ipvsadm -d).'
    Description = @'
Remove-LvsRealServer removes a real server from a virtual service; it is the equivalent of ipvsadm -d. The scheduler stops sending it new connections at once; its established connections are not cut, they finish.

Name the real server by -VirtualService and -Address (and -Port when it differs from the service's port), or pipe RealServer objects from Get-LvsRealServer. A service or real server that does not exist is a non-terminating ObjectNotFound error. The cmdlet supports -WhatIf and -Confirm.

To take a server out of service gently, use -Drain: the cmdlet sets its weight to 0 (no new connections), shows a progress bar while it waits until the real server has no active connections or -DrainTimeout seconds (default 300) pass, and then removes it. If the timeout passes first it warns and removes the server anyway; its remaining connections still finish. Stopping the wait with Ctrl+C leaves the server in the service with weight 0.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Remove a real server'
            Code    = 'Remove-LvsRealServer tcp/192.0.2.10:80 -Address 10.0.0.3'
            Remarks = 'Removes 10.0.0.3:80 from the HTTP service, like ipvsadm -d -t 192.0.2.10:80 -r 10.0.0.3.'
        }
        @{
            Title   = 'Example 2: Remove a server from every service'
            Code    = 'Get-LvsRealServer -Address 10.0.0.3 | Remove-LvsRealServer -WhatIf'
            Remarks = 'Shows every service 10.0.0.3 would be removed from; run it without -WhatIf to remove it.'
        }
        @{
            Title   = 'Example 3: Drain a real server before removing it'
            Code    = 'Remove-LvsRealServer tcp/192.0.2.10:80 -Address 10.0.0.3 -Drain -DrainTimeout 120'
            Remarks = 'Quiesces 10.0.0.3:80, waits up to two minutes for its active connections to finish, then removes it.'
        }
    )
    DefaultValues = @{ Port = "The virtual service's port" }
    Links       = @('Add-LvsRealServer', 'Set-LvsRealServer', 'Get-LvsRealServer', 'about_LvsPs')
}
