@{
    Synopsis    = 'Gets virtual services and their real servers (ipvsadm -L -n).'
    Description = @'
Get-LvsVirtualService gets the virtual services of the director, each with its settings (scheduler, persistence, flags), its real servers in the order the director lists them, its connection counts and its counters. Without -VirtualService it gets every service, as ipvsadm -L -n lists them; with -VirtualService it gets the services named, and a service that does not exist is a non-terminating ObjectNotFound error.

The default view is ipvsadm's listing: one line per service and one per real server with its forwarding method, weight and active and inactive connections. The objects carry more; see them with Format-List or Select-Object.

A VirtualService object binds to the -VirtualService parameter of every other LvsPs cmdlet, so you can pipe it to Add-LvsRealServer, Get-LvsRealServer, Set-LvsVirtualService, Remove-LvsVirtualService, Get-LvsStats or Reset-LvsStats.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: List every virtual service'
            Code    = 'Get-LvsVirtualService'
            Remarks = 'Lists every virtual service with its real servers, like ipvsadm -L -n.'
        }
        @{
            Title   = 'Example 2: Get one service and show all its properties'
            Code    = "Get-LvsVirtualService 'udp/[2001:db8::10]:53' | Format-List *"
            Remarks = 'Gets one service by its identity string. An IPv6 identity string is quoted, because it contains square brackets.'
        }
        @{
            Title   = 'Example 3: Add a real server to every service'
            Code    = 'Get-LvsVirtualService | Add-LvsRealServer -Address 10.0.0.2'
            Remarks = 'Adds the real server 10.0.0.2, on each service''s own port, to every virtual service.'
        }
        @{
            Title   = 'Example 4: Find the services that are persistent'
            Code    = 'Get-LvsVirtualService | Where-Object Persistent | Select-Object Id, Scheduler, PersistenceTimeout, Netmask'
            Remarks = 'Shows the persistent services with their persistence timeout and netmask.'
        }
    )
    Links       = @('New-LvsVirtualService', 'Get-LvsRealServer', 'Get-LvsStats', 'about_LvsPs')
}
