@{
    Synopsis    = 'Changes a virtual service in place (ipvsadm -E).'
    Description = @'
Set-LvsVirtualService changes the settings of an existing virtual service: its scheduler, persistence (timeout, netmask, engine), one-packet scheduling and scheduler flags. It is the equivalent of ipvsadm -E. Only the parameters you give change; the others keep their values. The service keeps its real servers, its counters and its established connections; a new scheduler applies to new connections.

Name the service by its identity string (tcp/192.0.2.10:80) or pipe service objects from Get-LvsVirtualService. A service that does not exist is a non-terminating ObjectNotFound error. When nothing would change, the cmdlet changes nothing and says so with -Verbose.

-Persistent turns persistence on (360 seconds, as ipvsadm -p, unless the service is already persistent) and -Persistent:$false turns it off, as does -PersistenceTimeout 0. -PersistenceNetmask '' resets the netmask to a single address. By default the cmdlet writes nothing; use -PassThru to get the changed service.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Change the scheduler'
            Code    = 'Set-LvsVirtualService tcp/192.0.2.10:80 -Scheduler wrr'
            Remarks = 'Switches the service to weighted round-robin, like ipvsadm -E -t 192.0.2.10:80 -s wrr. Established connections continue on their real servers.'
        }
        @{
            Title   = 'Example 2: Make every service persistent'
            Code    = 'Get-LvsVirtualService | Set-LvsVirtualService -PersistenceTimeout 900 -PassThru'
            Remarks = 'Makes every virtual service persistent for 15 minutes and writes the changed services.'
        }
        @{
            Title   = 'Example 3: Turn persistence off, with confirmation'
            Code    = 'Set-LvsVirtualService tcp/192.0.2.10:443 -Persistent:$false -Confirm'
            Remarks = 'Asks before turning persistence off on the HTTPS service.'
        }
    )
    Notes       = 'Errors: a service that does not exist (ObjectNotFound); an unknown scheduler, -OnePacket on a TCP service or an invalid netmask (InvalidArgument).'
    Links       = @('New-LvsVirtualService', 'Get-LvsVirtualService', 'Set-LvsRealServer', 'about_LvsPs')
}
