@{
    Synopsis    = 'Restarts a director service without refusing a connection (a hitless restart).'
    Description = @'
Restart-LvsDirector -Service restarts the director service at the socket (the default socket, or -SocketPath) the way HAProxy's seamless reload does: the running service starts a new process of itself, hands it its listening sockets over the control socket (SCM_RIGHTS): the control socket, the metrics and status-page endpoints, and the listener of every TCP virtual service, matched by protocol, VIP and port. The new process adopts them instead of binding anew, restores the configuration from the state file and serves. Only then does the old process stop accepting; it finishes its established connections and exits. The listening sockets are never closed in between, so no client is refused, and connections in progress are not cut.

UDP virtual services are not handed over (their flows' replies leave through the socket): the old process closes them when the new one serves, and the new one binds them at once; a reply still in flight through the old process can be lost.

When the new process cannot start (a state file it cannot read, say), the old one goes on serving and the cmdlet writes the error RestartFailed; the service's log has the new process's message. Changes sent to the service while it restarts wait for the restart and are then refused with DirectorServiceRestarted (send them again); the session's next cmdlet talks to the new process. Under systemd the unit's ExecReload (systemctl reload lvsps-director) does the same through SIGHUP, and the new process becomes the unit's main process.

A director service driving kernel IPVS is not restarted this way (RestartNeedsManagedEngine): the kernel forwards without the service, so stop and start it.

-WhatIf says which service would be restarted.
'@
    Examples    = @(
        @{
            Title   = 'Example 1: Restart the director service after an upgrade of the module'
            Code    = 'Restart-LvsDirector -Service -Verbose'
            Remarks = 'The service at the default socket is restarted from the installed module''s files; -Verbose names the new process. Clients see no refused or cut connection.'
        }
        @{
            Title   = 'Example 2: Restart a service at another socket and see the new process'
            Code    = 'Restart-LvsDirector -Service -SocketPath /run/lvsps-lab/director.sock -PassThru'
            Remarks = 'Writes the restarted service''s information (its StartTime is the new process''s).'
        }
        @{
            Title   = 'Example 3: See which service a restart would affect'
            Code    = 'Restart-LvsDirector -Service -WhatIf'
            Remarks = 'Writes what would be restarted and changes nothing. Under systemd, systemctl reload lvsps-director does the same restart through SIGHUP (examples/lvsps-director.service).'
        }
    )
    Links       = @('Start-LvsDirector', 'Stop-LvsDirector', 'Get-LvsDirector', 'about_LvsPs')
}
