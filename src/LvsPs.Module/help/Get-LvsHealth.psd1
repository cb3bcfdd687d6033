@{
    Synopsis    = 'Shows the state of each checked real server and what its last check found.'
    Description = @'
Get-LvsHealth writes one object per real server of every virtual service with a health check: its state (Unknown before the first check, Up or Down), the kind of check, when the state last changed, the last result (for example "connected in 1 ms", "HTTP 503, expected 200" or "exit code 1: timeout") and the counts of failures or successes in a row. The sorry server, if the service has one, is listed too: Up while it is in service. Filter with -VirtualService and -State.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Everything the checks know'
            Code    = 'Get-LvsHealth'
            Remarks = 'A table of services, real servers, states and last results.'
        }
        @{
            Title   = 'Example 2: Which real servers are down?'
            Code    = 'Get-LvsHealth -State Down | Select-Object VirtualService, RealServer, LastResult, Since'
            Remarks = 'Only the real servers the checks have taken out.'
        }
    )
    Links       = @('Set-LvsHealthCheck', 'Get-LvsHealthCheck', 'about_LvsPs')
}
