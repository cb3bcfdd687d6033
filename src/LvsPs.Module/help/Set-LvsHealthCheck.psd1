@{
    Synopsis    = 'Gives a virtual service a health check for its real servers, and optionally a sorry server.'
    Description = @'
Set-LvsHealthCheck makes the director check every real server of a virtual service on a timer, as keepalived does for kernel IPVS with TCP_CHECK, HTTP_GET, SSL_GET and MISC_CHECK. A check is a TCP connection that must open (-Type Tcp), an HTTP or HTTPS GET that must answer with one of -ExpectedStatus and, with -BodyMatch, a body that matches a regular expression (-Type Http or Https; certificates are not verified), or a /bin/sh command that must exit with 0 (-Type Command; it gets LVS_RS_ADDRESS, LVS_RS_PORT and LVS_VIRTUAL_SERVICE in its environment).

A real server that fails -Retries checks in a row is down: by default it is quiesced (weight 0: no new connections, established ones continue); with -FailureAction Remove it is taken out of the service. After -Rise good checks in a row it is restored at the weight it was configured with. Changing a down real server's weight with Set-LvsRealServer changes the weight it comes back with. With -SorryServer, that server takes the traffic while every real server is down, and leaves when one is back. Each state change is logged (by a director service, to its standard error, which systemd puts in the journal).

On a service that already has a check, only the parameters given change and the others keep their values (-SorryServer '' removes the sorry server, -Port 0 checks each real server's own port again); -WhatIf lists each change as from -> to. Changing -FailureAction applies at once to the real servers that are down: removed ones are put back at weight 0 under Quiesce, quiesced ones are taken out under Remove. A new check takes the defaults for what is not given. It runs where the director runs: in this session for the in-session managed director, or in the director service. Get-LvsHealth shows what the checks found. The cmdlet supports -WhatIf and -Confirm.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Check that each web server answers HTTP 200'
            Code    = "Set-LvsHealthCheck tcp/192.0.2.10:80 -Type Http -Path /healthz -Interval 5 -Retries 3"
            Remarks = 'Every 5 seconds, GET /healthz on each real server; one that fails three times in a row gets weight 0 until it answers again.'
        }
        @{
            Title   = 'Example 2: Remove failed servers and fall back to a sorry server'
            Code    = "Set-LvsHealthCheck tcp/192.0.2.10:443 -Type Tcp -FailureAction Remove -SorryServer 10.0.0.99:8080 -PassThru"
            Remarks = 'A real server that stops accepting connections is removed; when all are down, 10.0.0.99:8080 serves the traffic.'
        }
        @{
            Title   = 'Example 3: Run your own check'
            Code    = "Set-LvsHealthCheck udp/192.0.2.10:53 -Type Command -Command 'dig +time=1 +tries=1 @`$LVS_RS_ADDRESS -p `$LVS_RS_PORT example.org >/dev/null'"
            Remarks = 'A DNS service checked by a command; exit code 0 means healthy.'
        }
        @{
            Title   = 'Example 4: Change one setting of an existing check'
            Code    = "Set-LvsHealthCheck tcp/192.0.2.10:443 -Interval 2 -WhatIf"
            Remarks = 'Says what would change (Interval: 5 -> 2); the type, port, retries, action and sorry server stay as they are.'
        }
    )
    Links       = @('Get-LvsHealth', 'Get-LvsHealthCheck', 'Remove-LvsHealthCheck', 'about_LvsPs')
}
