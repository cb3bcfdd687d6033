@{
    Synopsis    = 'Gets the counters of virtual services and their real servers (ipvsadm -L --stats / --rate).'
    Description = @'
Get-LvsStats gets counters: one row for each virtual service (its totals) followed by one row for each of its real servers (its share). Each row has the connections, packets in and out, and bytes in and out, since the service or real server was created or its counters were last reset with Reset-LvsStats; and the rates of the same, per second, which the director estimates every 2 seconds as IPVS does.

Without -VirtualService it gets the counters of every service, like ipvsadm -L -n --stats, sorted as ipvsadm sorts them (-NoSort: the director's own order); name services or wildcard patterns (tcp/*:80), or pipe them from Get-LvsVirtualService, to get theirs. With -Rate the rows are shown as ipvsadm -L -n --rate shows them (CPS, InPPS, OutPPS, InBPS, OutBPS). The view abbreviates counters of 100 million and more with K, M, G and T, as ipvsadm does; -Exact shows them whole (ipvsadm --exact). The objects are the same whatever the view; their numbers are always exact.

"In" is from clients to real servers, "out" the way back. The managed director counts payload bytes and, for TCP, the real TCP segments each socket sent and received, as reported by the kernel's TCP_INFO, so the packet counts are close to what the kernel's IPVS would count; for UDP it counts datagrams. A service that does not exist is a non-terminating ObjectNotFound error.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Show the counters of every service'
            Code    = 'Get-LvsStats'
            Remarks = 'Lists connections, packets and bytes per service and real server, like ipvsadm -L -n --stats.'
        }
        @{
            Title   = 'Example 2: Show the current rates'
            Code    = 'Get-LvsVirtualService | Get-LvsStats -Rate'
            Remarks = 'Lists connections, packets and bytes per second for every service and real server, like ipvsadm -L -n --rate.'
        }
        @{
            Title   = 'Example 3: Compare the real servers of a service'
            Code    = "Get-LvsStats tcp/192.0.2.10:80 | Where-Object Scope -eq 'RealServer' | Select-Object RealServer, Connections, BytesOut"
            Remarks = 'Shows how many connections, and how many bytes of answers, each real server of the HTTP service has handled.'
        }
    )
    DefaultValues = @{ VirtualService = 'All virtual services' }
    Links       = @('Reset-LvsStats', 'Get-LvsVirtualService', 'Get-LvsRealServer', 'about_LvsPs')
}
