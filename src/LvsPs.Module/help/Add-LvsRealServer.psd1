@{
    Synopsis    = 'Adds a real server to a virtual service (ipvsadm -a).'
    Description = @'
Add-LvsRealServer adds a real server (a backend, RIP) to a virtual service; it is the equivalent of ipvsadm -a. New connections to the service can go to it at once, as the scheduler decides.

Name the service by its identity string (tcp/192.0.2.10:80) or pipe service objects from Get-LvsVirtualService. The real server's port defaults to the service's port, as in ipvsadm; to forward to another port, name it in -Address as ipvsadm -r does (10.0.0.2:8080, [2001:db8::2]:8080) or give -Port. The weight defaults to 1; weight 0 adds the server quiesced (it takes no new connections).

The forwarding method defaults to Masquerade (NAT), because that is what the managed director does: it accepts the client's connection and opens its own to the real server. ipvsadm's default is direct routing (-g); DirectRoute and Tunnel need the kernel backend, and the managed director refuses them. -UpperThreshold and -LowerThreshold limit the connections of the real server (ipvsadm -x and -y). -TunnelType, -TunnelPort and -TunnelFlags apply only to -Forwarding Tunnel.

By default the cmdlet writes nothing; use -PassThru to get the added real server.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Add two real servers to an HTTP service'
            Code    = @'
Add-LvsRealServer tcp/192.0.2.10:80 -Address 10.0.0.2
Add-LvsRealServer tcp/192.0.2.10:80 -Address 10.0.0.3 -Weight 2
'@
            Remarks = 'Adds 10.0.0.2:80 with weight 1 and 10.0.0.3:80 with weight 2, both masqueraded; like ipvsadm -a -t 192.0.2.10:80 -r 10.0.0.2 -m and ipvsadm -a -t 192.0.2.10:80 -r 10.0.0.3 -m -w 2.'
        }
        @{
            Title   = 'Example 2: Add a real server to every virtual service'
            Code    = 'Get-LvsVirtualService | Add-LvsRealServer -Address 10.0.0.2'
            Remarks = 'Adds 10.0.0.2 to each service, on that service''s port.'
        }
        @{
            Title   = 'Example 3: Forward to another port and get the result'
            Code    = 'New-LvsVirtualService tcp/192.0.2.10:80 -Scheduler rr | Add-LvsRealServer -Address 10.0.0.2 -Port 8080 -PassThru'
            Remarks = 'Creates the service and adds the real server 10.0.0.2:8080 to it, then writes the new real server.'
        }
        @{
            Title   = 'Example 4: Limit the connections of a real server'
            Code    = 'Add-LvsRealServer tcp/192.0.2.10:80 10.0.0.4 -UpperThreshold 500 -LowerThreshold 400'
            Remarks = 'The scheduler stops sending new connections to 10.0.0.4 when it has 500, and resumes when it is down to 400.'
        }
        @{
            Title   = 'Example 5: A real server in a content-routing group'
            Code    = 'Add-LvsRealServer tcp/192.0.2.10:80 10.0.0.21 -Port 8080 -Group api -SendProxy V1'
            Remarks = 'The real server takes the connections content rules send to the api group, and gets a PROXY v1 header whatever the service says.'
        }
    )
    Notes       = @'
LvsPs differs from ipvsadm here: the default forwarding method is Masquerade, not direct routing, and the managed director supports only Masquerade.

Errors: a service that does not exist (ObjectNotFound), a real server that is already in the service (ResourceExists), a weight outside 0..65535 or thresholds out of order (InvalidArgument), and DirectRoute or Tunnel forwarding on the managed director (InvalidOperation).
'@
    DefaultValues = @{ Port = "The port in -Address, else the virtual service's port" }
    Links       = @('Get-LvsRealServer', 'Set-LvsRealServer', 'Remove-LvsRealServer', 'New-LvsVirtualService', 'about_LvsPs')
}
