@{
    Synopsis    = 'Previews which real server a virtual service would choose, without creating a connection or changing any scheduler state.'
    Description = @'
Test-LvsScheduling simulates scheduling on a copy of a virtual service. For a service of the managed engine the copy
carries its live state: the scheduler's position (rr, wrr), hash tables (dh, sh, mh), lblc/lblcr caches, persistence
templates and connection counters; for other backends it is rebuilt from the listing. The service itself is never
touched, so the preview can be repeated.

With -ClientAddress and no -Count, it outputs one decision per client: the real server a new connection from that
client would go to now, or none. With -Count N, it simulates N requests in a row (each kept open as an active
connection on the copy, so least-connection schedulers spread them) and outputs how many each real server would get.

-Scheduler, -SchedulerFlags and -PersistenceTimeout preview a change before making it; -RealServer and -Weight
preview a service that does not exist yet. Schedulers decide exactly as the Linux kernel's do, so the preview also
tells what kernel IPVS would do with the same real servers and counters.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Where would a client go?'
            Code    = "Test-LvsScheduling tcp/192.168.0.1:80 -ClientAddress 203.0.113.7"
            Remarks = 'Shows the real server a new connection from 203.0.113.7 would be sent to now.'
        }
        @{
            Title   = 'Example 2: Check a change of scheduler first'
            Code    = "Test-LvsScheduling tcp/192.168.0.1:80 -Count 1000 -Scheduler mh -SchedulerFlags Port"
            Remarks = 'Shows how 1000 requests from 100 made-up clients would be shared by Maglev hashing on client address and port.'
        }
        @{
            Title   = 'Example 3: Preview a proposed service'
            Code    = "Test-LvsScheduling tcp/192.168.0.2:443 -Scheduler sh -RealServer 10.0.0.1:443, 10.0.0.2:443 -Weight 2, 1 -ClientAddress 198.51.100.1, 198.51.100.2"
            Remarks = 'Real servers are taken in the order given as the kernel would list them.'
        }
        @{
            Title   = 'Example 4: Check persistence'
            Code    = "Test-LvsScheduling tcp/192.168.0.1:80 -Count 20 -ClientAddress 203.0.113.7 -PersistenceTimeout 300"
            Remarks = 'With persistence all 20 connections of the client go to one real server.'
        }
        @{
            Title   = 'Example 5: Where would a request for a host go?'
            Code    = 'Test-LvsScheduling tcp/192.0.2.10:80 -ClientAddress 203.0.113.7 -HttpHost api.example.com -Path /v1/users'
            Remarks = 'Runs the service''s content rules on the request (Group and Rule say which matched), then previews the scheduler inside that group.'
        }
        @{
            Title   = 'Example 6: Preview a TLS server name'
            Code    = 'Test-LvsScheduling tcp/192.0.2.10:443 -ClientAddress 203.0.113.7 -Sni shop.example.com'
            Remarks = 'As a ClientHello naming shop.example.com would be routed.'
        }
    )
    Notes       = 'Nothing is created or changed: no connection, no persistence template, no scheduler state. twos draws real random numbers, so its previews vary. Simulated requests are all made at the present time.'
    Links       = @('Get-LvsVirtualService', 'Get-LvsRealServer', 'New-LvsVirtualService', 'Set-LvsVirtualService')
}
