@{
    Synopsis    = 'Gets the health checks and sorry servers of virtual services.'
    Description = @'
Get-LvsHealthCheck writes the health check of each virtual service that has one (or of the services you name): its type, target, interval, timeout, retries and rise, what happens on failure, and the sorry server. Set them with Set-LvsHealthCheck; see what they found with Get-LvsHealth.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: List every health check'
            Code    = 'Get-LvsHealthCheck'
            Remarks = 'One row per virtual service with a check.'
        }
        @{
            Title   = 'Example 2: The check of one service, all of it'
            Code    = 'Get-LvsHealthCheck tcp/192.0.2.10:80 | Format-List *'
            Remarks = 'Shows every setting, including the expected HTTP status codes and body pattern.'
        }
    )
    Links       = @('Set-LvsHealthCheck', 'Get-LvsHealth', 'about_LvsPs')
}
