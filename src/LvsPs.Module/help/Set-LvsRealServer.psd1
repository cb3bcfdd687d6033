@{
    Synopsis    = 'Changes a real server in place (ipvsadm -e).'
    Description = @'
Set-LvsRealServer changes the settings of a real server of a virtual service: its weight, forwarding method, thresholds and tunnel settings. It is the equivalent of ipvsadm -e. Only the parameters you give change; established connections continue on the real server.

Name the real server by -VirtualService and -Address (and -Port when it differs from the service's port), or pipe RealServer objects from Get-LvsRealServer. A service or real server that does not exist is a non-terminating ObjectNotFound error. When nothing would change, the cmdlet changes nothing and says so with -Verbose.

Weight 0 quiesces the real server: the scheduler sends it no new connections, while its established connections continue. Set a positive weight to put it back in service. By default the cmdlet writes nothing; use -PassThru to get the changed real server.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Drain a real server'
            Code    = 'Set-LvsRealServer tcp/192.0.2.10:80 -Address 10.0.0.2 -Weight 0'
            Remarks = 'Quiesces 10.0.0.2:80, like ipvsadm -e -t 192.0.2.10:80 -r 10.0.0.2 -m -w 0. Watch its ActiveConnections with Get-LvsRealServer until they reach 0.'
        }
        @{
            Title   = 'Example 2: Quiesce every real server of a service'
            Code    = 'Get-LvsRealServer tcp/192.0.2.10:80 | Set-LvsRealServer -Weight 0 -PassThru'
            Remarks = 'Sets every real server of the service to weight 0 and writes the changed real servers.'
        }
        @{
            Title   = 'Example 3: Give a bigger server more weight'
            Code    = 'Set-LvsRealServer tcp/192.0.2.10:80 10.0.0.3 -Weight 3 -UpperThreshold 1000'
            Remarks = 'With a weighted scheduler (wrr, wlc), 10.0.0.3 now gets three times the share of a weight-1 server, up to 1000 connections.'
        }
    )
    Notes       = 'Errors: a service or real server that does not exist (ObjectNotFound), a weight outside 0..65535 or thresholds out of order (InvalidArgument), and DirectRoute or Tunnel forwarding on the managed director (InvalidOperation).'
    DefaultValues = @{ Port = "The virtual service's port" }
    Links       = @('Get-LvsRealServer', 'Add-LvsRealServer', 'Remove-LvsRealServer', 'about_LvsPs')
}
