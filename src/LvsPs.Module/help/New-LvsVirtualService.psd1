@{
    Synopsis    = 'Creates a virtual service (ipvsadm -A).'
    Description = @'
New-LvsVirtualService creates a virtual service on the director: the address, port and protocol (or firewall mark) that clients connect to, and the scheduler that picks a real server for each new connection. It is the equivalent of ipvsadm -A. The new service has no real servers; add them with Add-LvsRealServer.

Name the service in one of three ways: by its identity string (-VirtualService tcp/192.0.2.10:80, udp/[2001:db8::10]:53, fwm/7), by -Protocol, -Address and -Port, or by -FirewallMark (with -AddressFamily IPv6 for an IPv6 firewall-mark service). Identity strings can be piped to the cmdlet.

The scheduler defaults to wlc (weighted least-connection), as in ipvsadm. -Persistent makes the service persistent for 360 seconds, as ipvsadm -p does; -PersistenceTimeout sets another timeout, and -PersistenceNetmask widens persistence to a client network. The cmdlet writes the new service.

The in-session managed director starts on first use, so no Start-LvsDirector is needed. The managed director serves TCP and UDP address services; firewall-mark and SCTP services, and port 0, need the kernel backend. A service that already exists is an error (ResourceExists); use Set-LvsVirtualService to change it.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Create a round-robin HTTP service'
            Code    = 'New-LvsVirtualService -VirtualService tcp/192.0.2.10:80 -Scheduler rr'
            Remarks = 'Creates a TCP service on 192.0.2.10 port 80 that hands connections to its real servers in turn; the same as ipvsadm -A -t 192.0.2.10:80 -s rr. The cmdlet writes the new service.'
        }
        @{
            Title   = 'Example 2: Name the service by protocol, address and port'
            Code    = 'New-LvsVirtualService -Protocol Udp -Address 2001:db8::10 -Port 53 -Scheduler wrr'
            Remarks = 'Creates the UDP service udp/[2001:db8::10]:53 with the weighted round-robin scheduler.'
        }
        @{
            Title   = 'Example 3: A persistent HTTPS service'
            Code    = 'New-LvsVirtualService tcp/192.0.2.10:443 -PersistenceTimeout 600 -PersistenceNetmask 255.255.255.0'
            Remarks = 'Creates a service on which every client of a /24 network keeps going to the same real server while it has connections, and for 600 seconds after (ipvsadm -A -t 192.0.2.10:443 -p 600 -M 255.255.255.0). The scheduler is the default, wlc.'
        }
        @{
            Title   = 'Example 4: See what would be created'
            Code    = 'New-LvsVirtualService tcp/192.0.2.10:8080 -WhatIf'
            Remarks = 'Shows the service that would be created, with its scheduler, without creating it.'
        }
        @{
            Title   = 'Example 5: Real servers that see the client in a PROXY header'
            Code    = 'New-LvsVirtualService tcp/192.0.2.10:80 -Scheduler rr -SendProxy V2'
            Remarks = 'Each connection to a real server starts with a PROXY protocol v2 header naming the client''s address and port (nginx: listen 80 proxy_protocol). See docs/client-address.md.'
        }
        @{
            Title   = 'Example 6: Behind another load balancer, in transparent mode'
            Code    = 'New-LvsVirtualService tcp/192.0.2.10:80 -AcceptProxy -Transparent'
            Remarks = 'Clients arrive through a balancer that sends a PROXY header; the director connects to real servers from the client''s own address (root, replies routed back through the director).'
        }
    )
    Notes       = @'
Unlike ipvsadm, LvsPs needs no separate step to load IPVS: the in-session managed director starts on first use.

Errors: a service that already exists (ResourceExists), an unknown scheduler, port 0 on a service that is not persistent, or -OnePacket on a TCP service (InvalidArgument), and firewall-mark or SCTP services on the managed director (InvalidOperation).
'@
    Links       = @('Get-LvsVirtualService', 'Set-LvsVirtualService', 'Remove-LvsVirtualService', 'Add-LvsRealServer', 'about_LvsPs')
}
