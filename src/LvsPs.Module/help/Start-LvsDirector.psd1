@{
    Synopsis    = 'Starts the managed director in this PowerShell session.'
    Description = @'
Start-LvsDirector starts the in-session managed director: the .NET forwarding engine that LvsPs runs inside this PowerShell process. It forwards in the background while the prompt stays usable, until Stop-LvsDirector, the removal of the module, or the end of the session.

You rarely need it: the managed director starts on first use, when any LvsPs cmdlet that reads or changes the configuration runs (as ipvsadm's first call loads the ip_vs kernel module). Start it explicitly to make the start visible in a script, or to start again after Stop-LvsDirector. When it is already running, the cmdlet does nothing and says so with -Verbose. A new director has no virtual services and the default timeouts.

By default the cmdlet writes nothing; use -PassThru to get the director's information (the same object Get-LvsDirector writes).
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Start the director and see what it offers'
            Code    = 'Start-LvsDirector -PassThru'
            Remarks = 'Starts the managed director and writes its information: Kind Managed, Target in-session, Running True, the IPVS version it emulates and its schedulers.'
        }
        @{
            Title   = 'Example 2: A director for a script, stopped at the end'
            Code    = @'
Start-LvsDirector
try {
    New-LvsVirtualService tcp/127.0.0.80:8080 -Scheduler rr | Add-LvsRealServer -Address 127.0.0.1 -Port 8081
    # ... serve ...
}
finally {
    Stop-LvsDirector
}
'@
            Remarks = 'Starts the director, configures a service on loopback, and stops the director (releasing its sockets) however the script ends.'
        }
    )
    Links       = @('Stop-LvsDirector', 'Get-LvsDirector', 'about_LvsPs')
}
