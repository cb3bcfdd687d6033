@{
    Synopsis    = 'Goes back from kernel IPVS or a director service to the in-session managed director.'
    Description = @'
Disconnect-LvsDirector closes this session's connection to kernel IPVS or to a director service, so the LvsPs cmdlets act on the in-session managed director again. The director that was connected keeps running with its configuration: the kernel keeps its IPVS table, and a director service keeps forwarding. To stop a director service, use Stop-LvsDirector -Service. The cmdlet supports -WhatIf.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Look at the kernel, then come back'
            Code    = "Connect-LvsDirector -Kernel`nGet-LvsVirtualService`nDisconnect-LvsDirector"
            Remarks = 'Lists the kernel''s IPVS table, then points the session back at the in-session managed director.'
        }
    )
    Links       = @('Connect-LvsDirector', 'Get-LvsDirector', 'about_LvsPs')
}
