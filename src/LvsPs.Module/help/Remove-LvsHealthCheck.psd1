@{
    Synopsis    = 'Stops checking the real servers of a virtual service.'
    Description = @'
Remove-LvsHealthCheck removes a virtual service's health check and sorry server. Real servers the check had quiesced or removed are restored at their configured weight, and the sorry server leaves the service. A service without a check is an ObjectNotFound error. The cmdlet supports -WhatIf and -Confirm.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Remove a health check'
            Code    = 'Remove-LvsHealthCheck tcp/192.0.2.10:80'
            Remarks = 'The service keeps its real servers, at their configured weights, without checks.'
        }
    )
    Links       = @('Set-LvsHealthCheck', 'Get-LvsHealthCheck', 'about_LvsPs')
}
