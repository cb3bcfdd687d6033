@{
    Synopsis    = 'Removes a real server from a virtual service (ipvsadm -d).'
    Description = @'
Remove-LvsRealServer removes a real server from a virtual service; it is the equivalent of ipvsadm -d. The scheduler stops sending it new connections at once; its established connections are not cut, they finish.

Name the real server by -VirtualService and -Address (and -Port when it differs from the service's port), or pipe RealServer objects from Get-LvsRealServer. A service or real server that does not exist is a non-terminating ObjectNotFound error. The cmdlet supports -WhatIf and -Confirm.

To take a server out of service gently, set its weight to 0 with Set-LvsRealServer first, wait for its connections to finish, then remove it.
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
    )
    DefaultValues = @{ Port = "The virtual service's port" }
    Links       = @('Add-LvsRealServer', 'Set-LvsRealServer', 'Get-LvsRealServer', 'about_LvsPs')
}
