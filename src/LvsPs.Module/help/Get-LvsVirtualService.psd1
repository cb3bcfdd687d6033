@{
    Synopsis    = 'Gets virtual services and their real servers (ipvsadm -L -n).'
    Description = @'
Get-LvsVirtualService gets the virtual services of the director, each with its settings (scheduler, persistence, flags), its real servers, its connection counts and its counters. Without -VirtualService it gets every service, as ipvsadm -L -n lists them; with -VirtualService it gets the services named or matching a wildcard pattern (tcp/*:80). A service named exactly that does not exist is a non-terminating ObjectNotFound error; a pattern that matches nothing is not an error.

Services are sorted as ipvsadm -L sorts them (by protocol, address and port) and their real servers by address and port. -NoSort lists both in the director's own order (ipvsadm --nosort), which for real servers is the order the kernel schedules them in, newest first; every object keeps its place in that order as its Position property.

The objects convert to JSON and CSV as a person would write them: identities and addresses as text, enums by name (see docs/output-objects.md).

The default view is ipvsadm's listing: one line per service and one per real server with its forwarding method, weight and active and inactive connections. -Thresholds shows the connection thresholds instead (ipvsadm --thresholds) and -PersistentConnections the persistence templates (ipvsadm --persistent-conn). Format-Table and Format-List show the objects as a table or a list; the objects carry more, which Format-List * or Select-Object shows.

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
        @{
            Title   = 'Example 5: The HTTP services, with their thresholds'
            Code    = 'Get-LvsVirtualService tcp/*:80 -Thresholds'
            Remarks = 'Every TCP service on port 80, listed as ipvsadm -L -n --thresholds lists them.'
        }
        @{
            Title   = 'Example 6: The director''s own order'
            Code    = 'Get-LvsVirtualService -NoSort | Select-Object Id, Position, @{ n = ''RealServers''; e = { $_.RealServers.Id } }'
            Remarks = 'As ipvsadm -L --nosort: real servers newest first, the order the kernel schedules them in.'
        }
        @{
            Title   = 'Example 7: Read the services in a CI job'
            Code    = 'Get-LvsVirtualService | ConvertTo-Json -Depth 5 | jq -r ''.[] | .Id + " " + (.RealServers | length | tostring)'''
            Remarks = 'Identities, addresses and enums are text in the JSON, so jq reads them as written.'
        }
    )
    DefaultValues = @{ VirtualService = 'All virtual services' }
    Links       = @('New-LvsVirtualService', 'Get-LvsRealServer', 'Get-LvsStats', 'about_LvsPs')
}
