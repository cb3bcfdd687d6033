@{
    Synopsis    = 'Gets the real servers of one virtual service or of all.'
    Description = @'
Get-LvsRealServer gets real servers with their settings (address, port, forwarding method, weight, thresholds), their active, inactive and persistent connection counts, whether thresholds have overloaded them, and their counters.

Without -VirtualService it gets the real servers of every service; with it, those of the services named or matching a wildcard pattern (tcp/*:80). They are sorted as ipvsadm -L sorts them (by address and port); -NoSort lists them in the order the director schedules them (most recently added first, as IPVS does), and each keeps that place as its Position. -Address filters by an address, by ADDRESS:PORT as ipvsadm -r takes it (10.0.0.2:80, [2001:db8::2]:80) or by a wildcard pattern (10.0.0.*); -Port filters by port. A service named exactly that does not exist is a non-terminating ObjectNotFound error; a filter or pattern that matches nothing writes nothing.

A RealServer object carries its virtual service, address and port, so it binds to Set-LvsRealServer and Remove-LvsRealServer by property name.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: List the real servers of a service'
            Code    = 'Get-LvsRealServer tcp/192.0.2.10:80'
            Remarks = 'Lists the real servers of the HTTP service with their forwarding method, weight and connections.'
        }
        @{
            Title   = 'Example 2: Quiesce a real server everywhere'
            Code    = 'Get-LvsRealServer -Address 10.0.0.2 | Set-LvsRealServer -Weight 0'
            Remarks = 'Sets the weight of 10.0.0.2 to 0 in every service it serves: it takes no new connections, and its established connections continue. Use this to drain a server before maintenance.'
        }
        @{
            Title   = 'Example 3: Find the real servers that have connections'
            Code    = 'Get-LvsVirtualService | Get-LvsRealServer | Where-Object ActiveConnections -gt 0'
            Remarks = 'Gets the real servers of every service that have established connections.'
        }
        @{
            Title   = 'Example 4: One real server by RIP:PORT, and a subnet by pattern'
            Code    = "Get-LvsRealServer tcp/192.0.2.10:80 -Address 10.0.0.2:8080; Get-LvsRealServer -Address 10.0.1.*"
            Remarks = 'The first gets the real server 10.0.0.2 on port 8080, as ipvsadm -r names it; the second every real server in 10.0.1.0/24, in every service.'
        }
        @{
            Title   = 'Example 5: Save the real servers to a CSV file'
            Code    = 'Get-LvsRealServer | Export-Csv ./realservers.csv; Import-Csv ./realservers.csv | Set-LvsRealServer -Weight 1'
            Remarks = 'The CSV has the values a person would write (tcp/192.0.2.10:80, 10.0.0.2:80, Masquerade); read back, its rows bind to Set-LvsRealServer by property name.'
        }
    )
    DefaultValues = @{ VirtualService = 'All virtual services'; Address = 'Any address' }
    Links       = @('Add-LvsRealServer', 'Set-LvsRealServer', 'Remove-LvsRealServer', 'Get-LvsVirtualService', 'about_LvsPs')
}
