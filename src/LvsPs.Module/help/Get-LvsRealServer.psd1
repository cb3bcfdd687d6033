@{
    Synopsis    = 'Gets the real servers of one virtual service or of all.'
    Description = @'
Get-LvsRealServer gets real servers with their settings (address, port, forwarding method, weight, thresholds), their active, inactive and persistent connection counts, whether thresholds have overloaded them, and their counters.

Without -VirtualService it gets the real servers of every service; with it, those of one service, in the order the director lists and schedules them (most recently added first, as IPVS does). -Address and -Port filter the result. A service that does not exist is a non-terminating ObjectNotFound error; a filter that matches nothing writes nothing.

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
    )
    Links       = @('Add-LvsRealServer', 'Set-LvsRealServer', 'Remove-LvsRealServer', 'Get-LvsVirtualService', 'about_LvsPs')
}
