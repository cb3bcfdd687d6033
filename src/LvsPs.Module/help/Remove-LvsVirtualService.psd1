@{
    Synopsis    = 'Deletes a virtual service (ipvsadm -D).'
    Description = @'
Remove-LvsVirtualService deletes a virtual service with its real servers; it is the equivalent of ipvsadm -D. The director stops accepting new connections on the service's address and port.

Name the service by its identity string or pipe service objects from Get-LvsVirtualService (or real server or stats objects, which carry their service). A service that does not exist is a non-terminating ObjectNotFound error. The cmdlet supports -WhatIf and -Confirm; to delete every service at once use Clear-LvsVirtualService.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Delete a service'
            Code    = 'Remove-LvsVirtualService tcp/192.0.2.10:80'
            Remarks = 'Deletes the HTTP service and its real servers, like ipvsadm -D -t 192.0.2.10:80.'
        }
        @{
            Title   = 'Example 2: Delete every UDP service'
            Code    = "Get-LvsVirtualService | Where-Object Protocol -eq 'Udp' | Remove-LvsVirtualService -WhatIf"
            Remarks = 'Shows which UDP services would be deleted; run it again without -WhatIf to delete them.'
        }
    )
    Links       = @('New-LvsVirtualService', 'Clear-LvsVirtualService', 'Get-LvsVirtualService', 'about_LvsPs')
}
