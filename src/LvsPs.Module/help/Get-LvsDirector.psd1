@{
    Synopsis    = 'Gets the director the cmdlets use and what it says about itself.'
    Description = @'
Get-LvsDirector gets information about the director that the LvsPs cmdlets in this session talk to: its kind (Managed for the in-session .NET engine), where it is (Target: in-session), whether it is running and since when, the IPVS version it speaks, the size of its connection table, how many virtual services, real servers and connections it has, and the schedulers it can use. It is the nearest equivalent of the header ipvsadm -L prints ("IP Virtual Server version 1.2.1 (size=4096)").

Get-LvsDirector does not start a director: when the in-session managed director has not started yet, or was stopped (also with -Director Managed), it writes an object with Running False; a director service that does not answer at its socket is written as Kind Service with Running False.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Show the director'
            Code    = 'Get-LvsDirector'
            Remarks = 'Shows the kind, target, state, version and counts of the director in use.'
        }
        @{
            Title   = 'Example 2: List the schedulers the director can use'
            Code    = '(Get-LvsDirector).Schedulers'
            Remarks = 'Lists scheduler names, such as rr, wlc and wrr, that New-LvsVirtualService -Scheduler accepts on this director. The list is empty while the director is not running.'
        }
    )
    Links       = @('Start-LvsDirector', 'Stop-LvsDirector', 'about_LvsPs')
}
