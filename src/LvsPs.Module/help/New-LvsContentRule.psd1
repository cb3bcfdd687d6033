@{
    Synopsis    = 'Adds a content rule to a virtual service: connections whose start matches go to a group of real servers.'
    Description = @'
New-LvsContentRule adds a rule to a TCP virtual service of the managed engine. Rules are checked in order on the start of each new connection, the first HTTP/1.x request head or the TLS ClientHello, and the first rule that matches sends the connection to the real servers of its -Group (put real servers in a group with Add-LvsRealServer -Group or Set-LvsRealServer -Group). The service's scheduler and persistence then choose among that group's real servers. A connection that matches no rule goes to the service's -DefaultGroup (Set-LvsVirtualService -DefaultGroup), or to the real servers without a group.

-Match says what the rule looks at: Host (the Host header, exactly or *.example.com for every name under a domain, without its port), PathPrefix (the start of the path, case matters), PathRegex (a .NET regular expression on the path, stopped after 100 ms), Header (a header's value, without case; give -Name), Method (GET, POST, ...), Cookie (a cookie's value; give -Name), or Sni (the TLS server name; TLS is not terminated, the bytes are relayed unchanged).

Routing is per connection, as KTCPVS did: later requests on a keep-alive connection go to the real server the first request chose. The first request head or ClientHello may take at most 16 KiB and 10 seconds; a malformed request is answered 400, a too large one 431, a too slow one 408, and a bad ClientHello is reset. A rule that names a group without real servers answers 503 (HTTP) or resets.

The rule is validated before anything changes; the cmdlet supports -WhatIf and -Confirm.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Send an API host to its own real servers'
            Code    = @'
Add-LvsRealServer tcp/192.0.2.10:80 10.0.0.21 -Port 8080 -Group api
New-LvsContentRule tcp/192.0.2.10:80 -Match Host -Pattern api.example.com -Group api
'@
            Remarks = 'Connections whose first request has Host: api.example.com go to 10.0.0.21:8080; the rest go to the real servers without a group.'
        }
        @{
            Title   = 'Example 2: Static files by path, first in the order'
            Code    = 'New-LvsContentRule tcp/192.0.2.10:80 PathPrefix /static/ -Group static -Order 1'
            Remarks = 'Inserts the rule before the others, so it is checked first.'
        }
        @{
            Title   = 'Example 3: Route TLS by server name without terminating it'
            Code    = 'New-LvsContentRule tcp/192.0.2.10:443 -Match Sni -Pattern *.shop.example -Group shop -WhatIf'
            Remarks = 'Says what would be added without adding it.'
        }
        @{
            Title   = 'Example 4: A canary cookie'
            Code    = 'New-LvsContentRule tcp/192.0.2.10:80 -Match Cookie -Name track -Pattern canary -Group canary -PassThru'
            Remarks = 'Clients with the cookie track=canary go to the canary group; writes the new rule.'
        }
    )
    Notes       = 'Content rules need the managed engine and a tcp/ service without an application helper; the kernel backend refuses them (InvalidOperation). See docs/content-routing.md.'
    Links       = @('Get-LvsContentRule', 'Set-LvsContentRule', 'Remove-LvsContentRule', 'Add-LvsRealServer', 'Test-LvsScheduling', 'about_LvsPs')
}
